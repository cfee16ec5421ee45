import {
  ACK_WIRE_BYTES,
  PacketFlag,
  serializationPs,
  PacketKind,
  dataWireBytes,
  type EventTarget,
  type PacketId,
  type PacketPool,
  type PacketSink,
  type Scheduler,
} from '@aifab/core'
import type { EgressPort } from '@aifab/link'
import type { NicConfig } from './nic-config.ts'
import type { QueuePair } from './queue-pair.ts'
import { entropyPolicy, type EntropyPolicy } from './entropy-policy.ts'
import { AckInfo } from './ack-info.ts'
import { CcError } from './congestion-control.ts'
import { NicLane, type LaneOwner } from './nic-lane.ts'

const RTO_TIMER = 0
const PACE_TIMER = 1
const CC_TIMER = 2
const ACK_TIMER = 3
const NONE = -1
/** Buckets of the reorder-distance histogram: 1, 2-3, 4-7, ..., 2^15 and beyond. */
export const REORDER_BUCKETS = 16

/** Told when the last byte of a message has been placed at its receiver. */
export interface MessageListener {
  messageDelivered(opId: number): void
}

/**
 * A host's NIC. Sender: queue pairs with data and window take turns, one
 * packet each, whenever the host port is free (so the NIC as a whole sends at
 * line rate). Receiver: go-back-n or out-of-order placement (see NicConfig),
 * coalesced ACKs, NAKs for gaps. A data packet becomes its ACK or NAK in place.
 */
export class Nic implements PacketSink, LaneOwner, EventTarget {
  /** Transmit rings, each with the ports it feeds (see NicLane); a queue pair sends on lane `qp.lane`. */
  readonly lanes: NicLane[] = []
  /** Every port of the NIC, in the order added. */
  readonly ports: EgressPort[] = []
  listener: MessageListener | null = null
  /** Told of every data packet accepted (queue pair, PSN); set only when faults are being watched. */
  deliveryWatch: ((qp: number, psn: number) => void) | null = null

  // Counters, read by the report.
  framesReceived = 0
  dataPacketsSent = 0
  retransmittedPackets = 0
  acksSent = 0
  naksSent = 0
  naksReceived = 0
  timeouts = 0
  /** Queue pairs that gave up after `retryLimit` timeouts in a row. */
  failedQueuePairs = 0
  /** Data packets the receiver threw away: out of order under go-back-n, beyond the tracking window under reorder. */
  rxDiscards = 0
  rxDuplicates = 0
  cnpsSent = 0
  cnpsReceived = 0
  /** Trimmed headers that arrived (their payload was cut by a full queue). */
  trimmedReceived = 0
  deliveredPayloadBytes = 0
  /** Most packets ever held out of order by one queue pair of this NIC. */
  reorderWindowPeak = 0
  /** Packets accepted out of order, by how far ahead of the next expected PSN (log2 buckets: 1, 2-3, 4-7, ...). */
  readonly reorderDistance = new Float64Array(REORDER_BUCKETS)

  private readonly targetId: number
  private readonly goBackN: boolean
  private readonly selective: boolean
  private readonly entropy: EntropyPolicy
  private readonly ackInfo = new AckInfo()
  private readonly ackDelayPs: number

  constructor(
    readonly host: number,
    private readonly sched: Scheduler,
    private readonly pool: PacketPool,
    readonly cfg: NicConfig,
    /** The run's table of queue pairs, indexed by the id packets carry. */
    private readonly qps: readonly QueuePair[],
  ) {
    this.targetId = sched.register(this)
    this.goBackN = cfg.mode === 'go-back-n'
    this.selective = cfg.mode === 'selective'
    this.entropy = entropyPolicy(cfg.entropyPolicy, cfg.entropyValues)
    this.ackDelayPs = 2 * cfg.ackEveryPackets * serializationPs(dataWireBytes(cfg.mtuBytes, false), cfg.lineRateBps)
  }

  /** Queues a message on a queue pair whose source is this host. */
  post(qp: QueuePair, opId: number, bytes: number): void {
    qp.post(opId, bytes, this.cfg.mtuBytes)
    // Controller timers parked while the flow was idle run again from now.
    if (qp.parkedTimers.length > 0) {
      for (const t of qp.parkedTimers) this.armCcTimer(qp, t.delayPs, t.tag)
      qp.parkedTimers.length = 0
    }
    this.activate(qp)
  }

  /** ctx.setTimer of a queue pair's controller. */
  armCcTimer(qp: QueuePair, delayPs: number, tag: number): void {
    if (!(delayPs > 0) || !Number.isFinite(delayPs) || !Number.isInteger(tag) || tag < 0 || tag > 1023) {
      throw new CcError(this.ccNameOf(qp), qp.id, 'setTimer', `expected a delay > 0 ps and an integer tag 0..1023, got ${delayPs}, ${tag}`)
    }
    // A timer set again with a pending tag replaces it (the old event finds no match and is ignored).
    const i = qp.ccTimers.findIndex((t) => t.tag === tag)
    if (i >= 0) qp.ccTimers.splice(i, 1)
    const duePs = this.sched.nowPs + delayPs
    qp.ccTimers.push({ tag, delayPs, duePs })
    this.sched.schedule(duePs, this.targetId, CC_TIMER, qp.id * 1024 + tag)
  }

  /** What an error calls a queue pair's controller: its own name, or (a user's object may carry none) its module's. */
  private ccNameOf(qp: QueuePair): string {
    const name: unknown = qp.cc.name
    return typeof name === 'string' && name !== '' ? name : this.cfg.ccName
  }

  /** A controller callback threw: stop the run, naming the module, the queue pair and the event. */
  private ccThrew(qp: QueuePair, event: string, e: unknown): never {
    if (e instanceof CcError) throw e
    throw new CcError(this.ccNameOf(qp), qp.id, event, `threw ${e instanceof Error ? e.message : String(e)}`)
  }

  /**
   * Checks what a controller callback left: a rate or window that is not a
   * positive number stops the run. (Callbacks are called directly at each site,
   * not through a closure: this is the per-ACK path.)
   */
  private ccChecked(qp: QueuePair, event: string): void {
    const cc = qp.cc
    if (!(cc.rateBps > 0 && cc.rateBps < Infinity) || !(cc.windowBytes > 0)) {
      throw new CcError(this.ccNameOf(qp), qp.id, event, `set rate ${cc.rateBps} b/s and window ${cc.windowBytes} bytes; expected a positive finite rate and a positive window`)
    }
  }

  /** Adds a port the NIC sends on, draining lane `lane` (created on first use). */
  addPort(port: EgressPort, lane = 0): void {
    while (this.lanes.length <= lane) this.lanes.push(new NicLane(this))
    this.lanes[lane]!.ports.push(port)
    this.ports.push(port)
    port.source = this.lanes[lane]!
  }

  /** The first port: a single-port host's only one. */
  get port(): EgressPort {
    return this.ports[0]!
  }

  // ---- Sender -----------------------------------------------------------

  pullFrom(lane: NicLane): PacketId {
    while (lane.count > 0) {
      const qp = this.qps[lane.ring[lane.head]!]!
      lane.head = (lane.head + 1) & (lane.ring.length - 1)
      lane.count--
      if (qp.nextSendPs > this.sched.nowPs) {
        // Paced: leave the ring and come back when the rate allows the next packet.
        qp.active = false
        this.armPace(qp)
        continue
      }
      const pkt = this.build(qp)
      if (pkt === NONE) {
        qp.active = false
        continue
      }
      if (this.canSend(qp)) lane.push(qp.id)
      else qp.active = false
      return pkt
    }
    return NONE
  }

  /**
   * The controller's window in packets; outside go-back-n also at most the
   * receiver's tracking window, which a rate-based controller (no window)
   * would otherwise overrun.
   */
  private windowPackets(qp: QueuePair): number {
    const w = Math.max(1, Math.floor(qp.cc.windowBytes / this.cfg.mtuBytes))
    return this.goBackN ? w : Math.min(w, this.cfg.reorderWindowPackets)
  }

  private canSend(qp: QueuePair): boolean {
    if (qp.failed) return false
    return qp.retxQueue.length > 0 || (qp.sndNxt < qp.endPsn && qp.sndNxt - qp.sndUna < this.windowPackets(qp))
  }

  private activate(qp: QueuePair): void {
    if (qp.active || !this.canSend(qp)) return
    if (qp.nextSendPs > this.sched.nowPs) {
      this.armPace(qp)
      return
    }
    qp.active = true
    const lane = this.lanes[qp.lane]!
    lane.push(qp.id)
    const ports = lane.ports
    for (let i = 0; i < ports.length; i++) ports[i]!.kick()
  }

  private armPace(qp: QueuePair): void {
    if (qp.paceArmed) return
    qp.paceArmed = true
    this.sched.schedule(qp.nextSendPs, this.targetId, PACE_TIMER, qp.id)
  }

  /** Builds the queue pair's next data packet: a requested retransmission first, then new data. */
  private build(qp: QueuePair): PacketId {
    if (qp.failed) return NONE
    let psn = NONE
    while (qp.retxQueue.length > 0) {
      const p = qp.retxQueue.shift()!
      if (p >= qp.sndUna && (qp.sacked === null || qp.sacked[p % qp.sacked.length] === 0 || p >= qp.sndUna + qp.sacked.length)) {
        psn = p
        break
      }
    }
    if (psn === NONE) {
      if (qp.sndNxt >= qp.endPsn || qp.sndNxt - qp.sndUna >= this.windowPackets(qp)) return NONE
      psn = qp.sndNxt++
    }
    const now = this.sched.nowPs
    const m = qp.msgIndexOf(psn, qp.txMsg)
    if (psn >= qp.sndNxt - 1) qp.txMsg = m
    const last = psn === qp.msgEndPsn(m) - 1
    const payload = last ? qp.msgLastBytes(m) : this.cfg.mtuBytes
    const pool = this.pool
    const pkt = pool.alloc()
    pool.kind[pkt] = PacketKind.DATA
    pool.src[pkt] = qp.srcHost
    pool.dst[pkt] = qp.dstHost
    pool.qp[pkt] = qp.id
    pool.psn[pkt] = psn
    pool.payloadBytes[pkt] = payload
    pool.wireBytes[pkt] = dataWireBytes(payload, psn === qp.msgStartPsn(m))
    pool.entropy[pkt] = this.entropy.next(qp)
    pool.sentPs[pkt] = now
    if (last) pool.flags[pkt]! |= PacketFlag.LAST
    // The window is now full: ask for an ACK now, or coalescing would leave the sender waiting for the timeout.
    if (qp.sndNxt - qp.sndUna >= this.windowPackets(qp)) pool.flags[pkt]! |= PacketFlag.ACK_REQ
    if (qp.sndUna === qp.sndMax) qp.lastProgressPs = now
    if (psn < qp.sndMax) {
      pool.flags[pkt]! |= PacketFlag.RETX
      qp.retransmittedPackets++
      this.retransmittedPackets++
    } else {
      qp.sndMax = psn + 1
    }
    this.dataPacketsSent++
    // Pacing below line rate: the next packet starts one packet-time at the paced rate later.
    const rate = qp.cc.rateBps
    qp.nextSendPs = rate < (qp.lineRateBps > 0 ? qp.lineRateBps : this.cfg.lineRateBps) ? now + serializationPs(pool.wireBytes[pkt]!, rate) : 0
    if (qp.cc.onSend !== undefined) {
      try {
        qp.cc.onSend(payload)
      } catch (e) {
        pool.free(pkt)
        this.ccThrew(qp, 'send', e)
      }
      this.ccChecked(qp, 'send')
    }
    if (!qp.timerArmed) {
      qp.timerArmed = true
      this.sched.schedule(qp.lastProgressPs + this.cfg.rtoPs, this.targetId, RTO_TIMER, qp.id)
    }
    return pkt
  }

  /** ACK or NAK back at the sender. */
  private onFeedback(pkt: PacketId): void {
    const pool = this.pool
    const qp = this.qps[pool.qp[pkt]!]!
    const cum = pool.psn[pkt]!
    const isNak = pool.kind[pkt] === PacketKind.NAK
    const resend = pool.nakPsn[pkt]!
    let acked = 0
    if (cum > qp.sndUna) {
      acked = cum - qp.sndUna
      if (this.selective) this.forgetBelow(qp, cum)
      qp.sndUna = cum
      qp.lastProgressPs = this.sched.nowPs
      qp.timeoutsInARow = 0
      if (qp.sndNxt < cum) qp.sndNxt = cum
    }
    const ecnEcho = (pool.flags[pkt]! & PacketFlag.ECE) !== 0
    const rttPs = this.sched.nowPs - pool.sentPs[pkt]!
    qp.lastRttPs = rttPs
    const info = this.ackInfo.fill(pool, pkt, cum, qp.sndNxt, acked * this.cfg.mtuBytes, rttPs, ecnEcho, isNak)
    try {
      qp.cc.onAck(info)
      this.ccChecked(qp, isNak ? 'nack' : 'ack')
    } catch (e) {
      pool.free(pkt)
      this.ccThrew(qp, isNak ? 'nack' : 'ack', e)
    }
    // A NAK (a trimmed or lost packet) marks its path as bad as an ECN echo does.
    this.entropy.feedback(qp, pool.entropy[pkt]!, ecnEcho || isNak)
    if (isNak) {
      this.naksReceived++
      if (qp.cc.onNack !== undefined) {
        try {
          qp.cc.onNack()
          this.ccChecked(qp, 'nack')
        } catch (e) {
          pool.free(pkt)
          this.ccThrew(qp, 'nack', e)
        }
      }
      // A NAK older than the newest ACK names data already delivered: ignore it.
      if (resend >= qp.sndUna) {
        if (this.goBackN) {
          if (resend < qp.sndNxt) qp.sndNxt = resend
        } else if (resend < qp.sndMax && !qp.retxQueue.includes(resend)) {
          qp.retxQueue.push(resend)
        }
      }
    }
    if (this.selective && !isNak) this.applySack(qp, pkt)
    pool.free(pkt)
    this.activate(qp)
  }

  /** Selective repeat after a timeout: resend, oldest first, every PSN sent and not SACKed. */
  private resendHoles(qp: QueuePair): void {
    const sacked = qp.sacked!
    const resent = qp.resent!
    const w = sacked.length
    qp.retxQueue.length = 0
    const end = Math.min(qp.sndMax, qp.sndUna + w)
    for (let p = qp.sndUna; p < end; p++) {
      if (sacked[p % w] === 1) continue
      resent[p % w] = 1
      qp.retxQueue.push(p)
    }
  }

  /** Selective repeat: the cumulative ACK moved to `cum`; scoreboard slots below it are free again. */
  private forgetBelow(qp: QueuePair, cum: number): void {
    const sacked = qp.sacked
    if (sacked === null) return
    const w = sacked.length
    const from = Math.max(qp.sndUna, cum - w)
    for (let p = from; p < cum; p++) {
      sacked[p % w] = 0
      qp.resent![p % w] = 0
    }
  }

  /**
   * Selective repeat: records the ACK's SACK bitmap, then resends each hole
   * (not SACKed, not resent since the last timeout) with at least the
   * threshold of SACKed packets above it.
   */
  private applySack(qp: QueuePair, pkt: PacketId): void {
    const pool = this.pool
    const lo = pool.sackLo[pkt]!
    const hi = pool.sackHi[pkt]!
    if (lo === 0 && hi === 0) return
    const w = this.cfg.reorderWindowPackets
    if (qp.sacked === null) {
      qp.sacked = new Uint8Array(w)
      qp.resent = new Uint8Array(w)
    }
    const sacked = qp.sacked
    const resent = qp.resent!
    const base = pool.psn[pkt]! + 1
    for (let i = 0; i < 64; i++) {
      if (((i < 32 ? lo >>> i : hi >>> (i - 32)) & 1) === 0) continue
      const p = base + i
      if (p < qp.sndUna || p >= qp.sndUna + w) continue
      sacked[p % w] = 1
      if (p > qp.highestSacked) qp.highestSacked = p
    }
    // With few packets in flight (a small window), fewer SACKs can ever come.
    const threshold = Math.max(1, Math.min(this.cfg.reorderNackThresholdPackets, qp.sndNxt - qp.sndUna - 1))
    let above = 0
    for (let p = Math.min(qp.highestSacked, qp.sndUna + w - 1); p >= qp.sndUna; p--) {
      if (sacked[p % w] === 1) above++
      else if (above >= threshold && resent[p % w] === 0) {
        resent[p % w] = 1
        qp.retxQueue.push(p)
      }
    }
  }

  onEvent(kind: number, arg: number): void {
    if (kind === PACE_TIMER) {
      const qp = this.qps[arg]!
      qp.paceArmed = false
      this.activate(qp)
      return
    }
    if (kind === CC_TIMER) {
      this.onCcTimer(this.qps[Math.floor(arg / 1024)]!, arg % 1024)
      return
    }
    if (kind === ACK_TIMER) {
      this.onAckTimer(this.qps[arg]!)
      return
    }
    const qp = this.qps[arg]!
    qp.timerArmed = false
    if (qp.sndUna >= qp.sndMax || qp.failed) return
    const now = this.sched.nowPs
    const due = qp.lastProgressPs + this.cfg.rtoPs
    if (now < due) {
      qp.timerArmed = true
      this.sched.schedule(due, this.targetId, RTO_TIMER, arg)
      return
    }
    qp.timeouts++
    this.timeouts++
    if (++qp.timeoutsInARow > this.cfg.retryLimit) {
      qp.failed = true
      this.failedQueuePairs++
      return
    }
    if (qp.cc.onTimeout !== undefined) {
      try {
        qp.cc.onTimeout()
      } catch (e) {
        this.ccThrew(qp, 'timeout', e)
      }
      this.ccChecked(qp, 'timeout')
    }
    if (this.goBackN) qp.sndNxt = qp.sndUna
    else if (qp.sacked !== null) this.resendHoles(qp)
    else if (!qp.retxQueue.includes(qp.sndUna)) qp.retxQueue.push(qp.sndUna)
    qp.lastProgressPs = now
    qp.timerArmed = true
    this.sched.schedule(now + this.cfg.rtoPs, this.targetId, RTO_TIMER, arg)
    this.activate(qp)
  }

  /** A controller timer came due: delivered, or parked while the flow has nothing outstanding. */
  private onCcTimer(qp: QueuePair, tag: number): void {
    const i = qp.ccTimers.findIndex((t) => t.tag === tag && t.duePs === this.sched.nowPs)
    if (i < 0) return
    const timer = qp.ccTimers[i]!
    qp.ccTimers.splice(i, 1)
    if (qp.sndUna >= qp.endPsn || qp.failed) {
      qp.parkedTimers.push(timer)
      return
    }
    try {
      qp.cc.onTimer?.(tag)
    } catch (e) {
      this.ccThrew(qp, 'timer', e)
    }
    this.ccChecked(qp, 'timer')
    this.activate(qp)
  }

  // ---- Receiver ---------------------------------------------------------

  receive(pkt: PacketId): void {
    this.framesReceived++
    const kind = this.pool.kind[pkt]
    if (kind === PacketKind.DATA) this.onData(pkt)
    else if (kind === PacketKind.CNP) this.onCnp(pkt)
    else this.onFeedback(pkt)
  }

  private onCnp(pkt: PacketId): void {
    const qp = this.qps[this.pool.qp[pkt]!]!
    this.cnpsReceived++
    this.pool.free(pkt)
    if (qp.cc.onCnp !== undefined) {
      try {
        qp.cc.onCnp()
      } catch (e) {
        this.ccThrew(qp, 'cnp', e)
      }
      this.ccChecked(qp, 'cnp')
    }
    this.activate(qp)
  }

  /** DCQCN's notification point: a CE-marked arrival earns its sender a CNP, at most one per interval. */
  private maybeCnp(qp: QueuePair, entropy: number): void {
    const now = this.sched.nowPs
    if (now - qp.lastCnpPs < this.cfg.cnpIntervalPs) return
    qp.lastCnpPs = now
    const pool = this.pool
    const cnp = pool.alloc()
    pool.kind[cnp] = PacketKind.CNP
    pool.src[cnp] = qp.dstHost
    pool.dst[cnp] = qp.srcHost
    pool.qp[cnp] = qp.id
    pool.psn[cnp] = qp.rcvNxt
    pool.payloadBytes[cnp] = 0
    pool.wireBytes[cnp] = ACK_WIRE_BYTES
    pool.entropy[cnp] = entropy
    pool.sentPs[cnp] = now
    this.cnpsSent++
    this.lanes[qp.lane]!.portFor(qp.rcvNxt).receive(cnp)
  }

  private onData(pkt: PacketId): void {
    const pool = this.pool
    const qp = this.qps[pool.qp[pkt]!]!
    const psn = pool.psn[pkt]!
    if ((pool.flags[pkt]! & PacketFlag.TRIMMED) !== 0) {
      this.onTrimmed(qp, pkt, psn)
      return
    }
    if ((pool.flags[pkt]! & PacketFlag.CE) !== 0) {
      qp.rcvCeSinceAck = true
      qp.rcvCeCount++
      if (this.cfg.cnpIntervalPs > 0) this.maybeCnp(qp, pool.entropy[pkt]!)
    }
    if (this.goBackN) {
      if (psn === qp.rcvNxt) {
        qp.rcvNxt++
        this.accepted(qp, pkt)
      } else if (psn > qp.rcvNxt) {
        this.rxDiscards++
        this.nakOrFree(qp, pkt)
      } else {
        this.rxDuplicates++
        this.reply(qp, pkt, PacketKind.ACK)
      }
      return
    }
    const window = qp.rcvWindow
    const ahead = psn - qp.rcvNxt
    if (ahead < 0 || (ahead < window && qp.rcvHolds(psn))) {
      this.rxDuplicates++
      this.reply(qp, pkt, PacketKind.ACK)
      return
    }
    if (ahead >= window) {
      this.rxDiscards++
      this.nakOrFree(qp, pkt)
      return
    }
    if (psn > qp.rcvHighest) qp.rcvHighest = psn
    if (ahead === 0) {
      qp.rcvNxt++
      while (qp.rcvHolds(qp.rcvNxt)) {
        qp.rcvBitmap![qp.rcvNxt % window] = 0
        qp.rcvHeld--
        qp.rcvNxt++
      }
    } else {
      qp.rcvHold(psn)
      if (qp.rcvHeld > this.reorderWindowPeak) this.reorderWindowPeak = qp.rcvHeld
      // How far ahead of the next expected PSN it landed: bucket b holds distances 2^b .. 2^(b+1) - 1.
      this.reorderDistance[Math.min(REORDER_BUCKETS - 1, 31 - Math.clz32(ahead))]!++
    }
    // A hole that packets far beyond it have overtaken is taken as lost.
    if (!this.selective && qp.rcvHeld > 0 && qp.rcvHighest - qp.rcvNxt >= this.cfg.reorderNackThresholdPackets) {
      this.deliver(qp, pkt)
      this.nakOrAck(qp, pkt)
      return
    }
    this.accepted(qp, pkt)
  }

  /**
   * A trimmed header: its payload was cut in the network. Reorder mode asks for
   * exactly that PSN at once (no waiting for a timeout or for the hole to be
   * overtaken); go-back-n treats it as the loss it is.
   */
  private onTrimmed(qp: QueuePair, pkt: PacketId, psn: number): void {
    this.trimmedReceived++
    const ahead = psn - qp.rcvNxt
    if (ahead < 0 || (!this.goBackN && ahead < qp.rcvWindow && qp.rcvHolds(psn))) {
      this.pool.free(pkt)
      return
    }
    if (this.goBackN) {
      this.nakOrFree(qp, pkt)
      return
    }
    this.reply(qp, pkt, PacketKind.NAK, psn)
  }

  /** Counts the packet's payload as placed and completes the messages now whole. Returns true if one completed. */
  private deliver(qp: QueuePair, pkt: PacketId): boolean {
    this.deliveredPayloadBytes += this.pool.payloadBytes[pkt]!
    if (this.deliveryWatch !== null) this.deliveryWatch(qp.id, this.pool.psn[pkt]!)
    qp.rcvSinceAck++
    let completed = false
    while (qp.rxMsg < qp.msgCount && qp.rcvNxt >= qp.msgEndPsn(qp.rxMsg)) {
      const op = qp.msgOp(qp.rxMsg++)
      completed = true
      this.listener?.messageDelivered(op)
    }
    return completed
  }

  private accepted(qp: QueuePair, pkt: PacketId): void {
    const completed = this.deliver(qp, pkt)
    if (completed || qp.rcvSinceAck >= this.cfg.ackEveryPackets || (this.pool.flags[pkt]! & PacketFlag.ACK_REQ) !== 0) this.reply(qp, pkt, PacketKind.ACK)
    else this.holdAck(qp, pkt)
  }

  /**
   * Coalescing: the packet is not ACKed yet. If no more arrive within the
   * delayed-ACK time (twice the time the coalesced packets take at line rate),
   * an ACK goes anyway, as real NICs do, so a shrunken window or a slow pace
   * never waits for the retransmission timeout.
   */
  private holdAck(qp: QueuePair, pkt: PacketId): void {
    const pool = this.pool
    qp.lastAcceptPs = this.sched.nowPs
    qp.lastAcceptSentPs = pool.sentPs[pkt]!
    qp.lastAcceptEntropy = pool.entropy[pkt]!
    pool.free(pkt)
    if (!qp.ackTimerArmed) {
      qp.ackTimerArmed = true
      this.sched.schedule(this.sched.nowPs + this.ackDelayPs, this.targetId, ACK_TIMER, qp.id)
    }
  }

  private onAckTimer(qp: QueuePair): void {
    qp.ackTimerArmed = false
    if (qp.rcvSinceAck === 0) return
    const due = qp.lastAcceptPs + this.ackDelayPs
    if (this.sched.nowPs < due) {
      qp.ackTimerArmed = true
      this.sched.schedule(due, this.targetId, ACK_TIMER, qp.id)
      return
    }
    const pool = this.pool
    const ack = pool.alloc()
    pool.qp[ack] = qp.id
    pool.sentPs[ack] = qp.lastAcceptSentPs
    pool.entropy[ack] = qp.lastAcceptEntropy
    this.reply(qp, ack, PacketKind.ACK)
  }

  /** NAKs the missing PSN unless it was NAKed within the NAK interval; then ACKs if one is due. */
  private nakOrAck(qp: QueuePair, pkt: PacketId): void {
    if (this.nakDue(qp)) this.reply(qp, pkt, PacketKind.NAK)
    else if (qp.rcvSinceAck >= this.cfg.ackEveryPackets || (this.pool.flags[pkt]! & PacketFlag.ACK_REQ) !== 0) this.reply(qp, pkt, PacketKind.ACK)
    else this.pool.free(pkt)
  }

  private nakOrFree(qp: QueuePair, pkt: PacketId): void {
    if (this.nakDue(qp)) this.reply(qp, pkt, PacketKind.NAK)
    else this.pool.free(pkt)
  }

  private nakDue(qp: QueuePair): boolean {
    const now = this.sched.nowPs
    if (qp.lastNakPsn === qp.rcvNxt && now - qp.lastNakPs < this.cfg.nakIntervalPs) return false
    qp.lastNakPsn = qp.rcvNxt
    qp.lastNakPs = now
    return true
  }

  /** The SACK bitmap of an ACK: bit i set when PSN rcvNxt + 1 + i has arrived. */
  private fillSack(qp: QueuePair, pkt: PacketId): void {
    let lo = 0
    let hi = 0
    if (qp.rcvHeld > 0) {
      const w = qp.rcvWindow
      const n = Math.min(64, w - 1)
      for (let i = 0; i < n; i++) {
        if (qp.rcvBitmap![(qp.rcvNxt + 1 + i) % w] !== 1) continue
        if (i < 32) lo |= 1 << i
        else hi |= 1 << (i - 32)
      }
    }
    this.pool.sackLo[pkt] = lo
    this.pool.sackHi[pkt] = hi
  }

  /**
   * Turns the data packet into an ACK/NAK carrying the cumulative PSN (and for a
   * NAK the PSN to resend, by default the first missing one), sent back at high priority.
   */
  private reply(qp: QueuePair, pkt: PacketId, kind: PacketKind, resendPsn = qp.rcvNxt): void {
    const pool = this.pool
    pool.kind[pkt] = kind
    pool.nakPsn[pkt] = resendPsn
    pool.src[pkt] = qp.dstHost
    pool.dst[pkt] = qp.srcHost
    pool.psn[pkt] = qp.rcvNxt
    pool.payloadBytes[pkt] = 0
    // The ACK carries the data packet's INT records back (HPCC): they cost wire bytes too.
    pool.wireBytes[pkt] = ACK_WIRE_BYTES + pool.intHops[pkt]! * this.cfg.intBytesPerRecord
    pool.flags[pkt] = qp.rcvCeSinceAck ? PacketFlag.ECE : 0
    pool.ceCount[pkt] = qp.rcvCeCount
    qp.rcvCeCount = 0
    if (this.selective) this.fillSack(qp, pkt)
    // sentPs stays: the sender reads its RTT sample from the echo.
    qp.rcvSinceAck = 0
    qp.rcvCeSinceAck = false
    if (kind === PacketKind.NAK) this.naksSent++
    else this.acksSent++
    this.lanes[qp.lane]!.portFor(qp.rcvNxt).receive(pkt)
  }
}
