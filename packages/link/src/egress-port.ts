import {
  ByteHistogram,
  TRIMMED_WIRE_BYTES,
  PacketFlag,
  PacketKind,
  serializationPs,
  type EventTarget,
  type PacketId,
  type PacketPool,
  type PacketSink,
  type Scheduler,
} from '@aifab/core'
import type { Link } from './link.ts'
import type { RedMarker } from './red-marker.ts'
import type { BufferPolicy } from './buffer-policy.ts'
import { PortCol, PortStore } from './port-store.ts'

/** Event kinds a port handles: its own serialization end, and PFC PAUSE/RESUME arriving from downstream. */
export const PortEvent = { TX_DONE: 0, PAUSE: 1, RESUME: 2 } as const
const NONE = -1

/**
 * Something that hands a port its next packet on demand (a NIC's transmit
 * scheduler). The port asks only when it is idle and its own queues are empty,
 * which paces the source at exactly the line rate.
 */
export interface PacketSource {
  pull(): PacketId
}

export interface EgressPortConfig {
  name: string
  rateBps: number
  /** Byte limit of the queue (both classes together) when no BufferPolicy decides; arrivals beyond it are dropped (drop-tail). */
  bufferBytes: number
}

/**
 * An egress port: two strict-priority FIFO classes (control frames first, then
 * data), drop-tail on a byte-bounded buffer (or whatever its BufferPolicy
 * decides), RED ECN marking of data on enqueue, and one packet serialized at a
 * time onto its link. Only one "transmission done" event is pending per busy
 * port. A PFC PAUSE stops the data class (after the frame being sent); control
 * frames keep flowing.
 */
export class EgressPort implements PacketSink, EventTarget {
  // Fields in the order a hop reads them: V8 lays an object out in that order, and a fabric of
  // thousands of ports keeps only the first lines of each in cache.
  private readonly pool: PacketPool
  /** The port's link has failed: it sends nothing, and drops what it holds and what arrives. */
  down = false
  buffer: BufferPolicy | null = null
  /** Byte limit of the queue without a BufferPolicy (cfg.bufferBytes, kept here so a hop need not read cfg). */
  private readonly bufferBytes: number
  /** Bytes waiting in the queues (not counting the frame being serialized). */
  queuedBytes = 0
  /** Trimming: a data packet that would be dropped is cut to its headers and sent in the control class. */
  trim = false
  marker: RedMarker | null = null
  private ctrlHead = NONE
  private ctrlTail = NONE
  private dataHead = NONE
  private dataTail = NONE
  busy = false
  private inService = NONE
  inServiceBytes = 0
  /** Data class stopped by a PFC PAUSE from the device downstream. */
  paused = false
  /** In-band telemetry: this port appends a record to each data packet it dequeues. */
  int: { switchId: number; portId: number; bytesPerRecord: number } | null = null
  source: PacketSource | null = null
  private readonly sched: Scheduler
  readonly link: Link
  txPackets = 0
  maxQueuedBytes = 0
  /** Where the port's per-hop numbers live: one store per fabric keeps them together. */
  private readonly store: PortStore
  /** This port's row in store.f64 (see PortCol). */
  private readonly row: number
  /** Queue depth each arriving data packet found (what it waited behind): this port's slot in store.queueDepths. */
  private readonly queueSeenSlot: number
  readonly targetId: number

  // Counters of rarer events, read by the report.
  drops = 0
  dropBytes = 0
  ecnMarks = 0
  /** Drops because the link was down (part of `drops`). */
  faultDrops = 0
  trims = 0
  intRecords = 0
  pausesReceived = 0
  /** Time the data class spent paused (up to now, if still paused). */
  pausedPs = 0
  private pausedSincePs = 0
  /** The highest rate the port ever had (faults change cfg.rateBps): no run may see it send faster. */
  peakRateBps: number
  /** Told of every frame dropped because the link is down (fault accounting). */
  onFaultLoss: ((pkt: PacketId) => void) | null = null

  constructor(sched: Scheduler, pool: PacketPool, readonly cfg: EgressPortConfig, link: Link, store = new PortStore()) {
    this.sched = sched
    this.pool = pool
    this.link = link
    this.store = store
    this.bufferBytes = cfg.bufferBytes
    this.queueSeenSlot = store.queueDepths.addSlot()
    this.row = store.addPort()
    this.targetId = sched.register(this)
    this.rateBps = cfg.rateBps
    this.peakRateBps = cfg.rateBps
    link.from = this
  }

  /** Bits serialized by `nowPs`: the frames sent, and the part of the one in service. */
  bitsSentBy(nowPs: number): number {
    const f = this.store.f64
    const r = this.row
    return this.txBytes * 8 + (this.busy ? ((nowPs - f[r + PortCol.TX_START_PS]!) * f[r + PortCol.TX_RATE_BPS]!) / 1e12 : 0)
  }

  /** The line rate now (cfg.rateBps as faults leave it). Faults call setRate; assigning this skips the peak tracking. */
  get rateBps(): number {
    return this.stored(PortCol.RATE_BPS)
  }
  set rateBps(v: number) {
    this.cfg.rateBps = v
    this.store.f64[this.row + PortCol.RATE_BPS] = v
  }
  /** Column `col` (a PortCol) of this port's row. */
  private stored(col: number): number {
    return this.store.f64[this.row + col]!
  }
  /** The rate the frame in service is being sent at (a fault may change the rate meanwhile). */
  get txRateBps(): number {
    return this.stored(PortCol.TX_RATE_BPS)
  }
  /** Wire bytes of the frames sent; of their data payload; of data frames sent again (retransmissions); of control frames (ACK, NAK, CNP, trimmed headers). */
  get txBytes(): number {
    return this.stored(PortCol.TX_BYTES)
  }
  get txDataPayloadBytes(): number {
    return this.stored(PortCol.TX_DATA_PAYLOAD_BYTES)
  }
  get txRetxBytes(): number {
    return this.stored(PortCol.TX_RETX_BYTES)
  }
  get txCtrlBytes(): number {
    return this.stored(PortCol.TX_CTRL_BYTES)
  }
  /** Time spent serializing frames that are done. */
  get busyPs(): number {
    return this.stored(PortCol.BUSY_PS)
  }

  /** Queue depth each arriving data packet found (what it waited behind). */
  get queueSeen(): ByteHistogram {
    return this.store.queueDepths.histogram(this.queueSeenSlot)
  }

  get name(): string {
    return this.cfg.name
  }

  /** Queued plus in-service bytes: what an adaptive load balancer compares. */
  get backlogBytes(): number {
    return this.queuedBytes + this.inServiceBytes
  }

  /** Frames held by this port (queued or being serialized). */
  get heldPackets(): number {
    let n = this.inService === NONE ? 0 : 1
    const next = this.pool.next
    for (let p = this.ctrlHead; p !== NONE; p = next[p]!) n++
    for (let p = this.dataHead; p !== NONE; p = next[p]!) n++
    return n
  }

  receive(pkt: PacketId): void {
    const pool = this.pool
    let bytes = pool.wireBytes[pkt]!
    if (this.down) {
      this.faultDrops++
      this.drops++
      this.dropBytes += bytes
      this.onFaultLoss?.(pkt)
      pool.free(pkt)
      return
    }
    if (this.buffer !== null ? !this.buffer.admit(pkt, this) : this.queuedBytes + bytes > this.bufferBytes) {
      if (!(this.trim && pool.kind[pkt] === PacketKind.DATA && this.trimmed(pkt))) {
        this.drops++
        this.dropBytes += bytes
        pool.free(pkt)
        return
      }
      bytes = pool.wireBytes[pkt]!
    }
    const next = pool.next
    next[pkt] = NONE
    if (pool.kind[pkt] === PacketKind.DATA && (pool.flags[pkt]! & PacketFlag.TRIMMED) === 0) {
      this.store.queueDepths.add(this.queueSeenSlot, this.queuedBytes)
      if (this.marker !== null && this.marker.shouldMark(this.queuedBytes)) {
        pool.flags[pkt]! |= PacketFlag.CE
        this.ecnMarks++
      }
      if (this.dataTail === NONE) this.dataHead = pkt
      else next[this.dataTail] = pkt
      this.dataTail = pkt
    } else {
      if (this.ctrlTail === NONE) this.ctrlHead = pkt
      else next[this.ctrlTail] = pkt
      this.ctrlTail = pkt
    }
    this.queuedBytes += bytes
    if (this.queuedBytes > this.maxQueuedBytes) this.maxQueuedBytes = this.queuedBytes
    if (!this.busy) this.startNext()
  }

  /**
   * Cuts a data packet that found no room to its headers (UEC trimming) and
   * admits it again as a control frame. False when even the header has no room.
   */
  private trimmed(pkt: PacketId): boolean {
    const pool = this.pool
    pool.flags[pkt]! |= PacketFlag.TRIMMED
    pool.wireBytes[pkt] = TRIMMED_WIRE_BYTES
    if (this.buffer !== null ? !this.buffer.admit(pkt, this) : this.queuedBytes + pool.wireBytes[pkt]! > this.bufferBytes) return false
    this.trims++
    return true
  }

  /** Tells an idle port that its source may have something to send now. */
  kick(): void {
    if (!this.busy) this.startNext()
  }

  /**
   * The link fails (down) or comes back. Failing flushes both queues (their
   * frames are dropped and counted) and fails the link, losing what is on the
   * wire; the frame being serialized is lost when it reaches the failed link.
   */
  setDown(down: boolean): void {
    if (down === this.down) return
    this.down = down
    if (down) {
      const pool = this.pool
      for (const head of [this.ctrlHead, this.dataHead]) {
        for (let p = head; p !== NONE; ) {
          const next = pool.next[p]!
          this.queuedBytes -= pool.wireBytes[p]!
          if (this.buffer !== null) this.buffer.release(p, this)
          this.faultDrops++
          this.drops++
          this.dropBytes += pool.wireBytes[p]!
          this.onFaultLoss?.(p)
          pool.free(p)
          p = next
        }
      }
      this.ctrlHead = this.ctrlTail = this.dataHead = this.dataTail = NONE
      this.link.fail()
    } else {
      this.link.down = false
      if (!this.busy) this.startNext()
    }
  }

  /** A new line rate (a rate fault); the frame being serialized keeps the old one. */
  setRate(rateBps: number): void {
    this.rateBps = rateBps
    this.peakRateBps = Math.max(this.peakRateBps, rateBps)
  }

  /** Paused time, counting a pause still in force at `nowPs`. */
  pausedPsAt(nowPs: number): number {
    return this.pausedPs + (this.paused ? nowPs - this.pausedSincePs : 0)
  }

  onEvent(kind: number, _arg: number): void {
    // The transmission's end first: nearly every event a port gets.
    if (kind === PortEvent.TX_DONE) {
      this.txDone()
    } else if (kind === PortEvent.PAUSE) {
      this.pausesReceived++
      if (!this.paused) {
        this.paused = true
        this.pausedSincePs = this.sched.nowPs
      }
    } else if (kind === PortEvent.RESUME && this.paused) {
      this.paused = false
      this.pausedPs += this.sched.nowPs - this.pausedSincePs
      if (!this.busy) this.startNext()
    }
  }

  /** The last bit of the frame in service is out: count it, hand it to the link, start the next. */
  private txDone(): void {
    const pkt = this.inService
    const bytes = this.inServiceBytes
    const pool = this.pool
    this.inService = NONE
    this.inServiceBytes = 0
    const f = this.store.f64
    const r = this.row
    this.txPackets++
    f[r + PortCol.TX_BYTES]! += bytes
    if (pool.kind[pkt] === PacketKind.DATA) {
      f[r + PortCol.TX_DATA_PAYLOAD_BYTES]! += pool.payloadBytes[pkt]!
      if ((pool.flags[pkt]! & PacketFlag.RETX) !== 0) f[r + PortCol.TX_RETX_BYTES]! += bytes
    } else {
      f[r + PortCol.TX_CTRL_BYTES]! += bytes
    }
    f[r + PortCol.BUSY_PS]! += this.sched.nowPs - f[r + PortCol.TX_START_PS]!
    this.busy = false
    this.link.accept(pkt, bytes)
    this.startNext()
  }

  /**
   * Appends this hop's INT record (switch, egress rate, dequeue time, bytes sent
   * so far, queue left behind) and grows the frame by the record's bytes, so
   * telemetry costs what it costs on the wire. Past the hop limit, nothing.
   */
  private stampInt(pkt: PacketId): void {
    const pool = this.pool
    const hop = pool.intHops[pkt]!
    if (hop >= pool.intMaxHops) return
    const i = pkt * pool.intMaxHops + hop
    pool.intSwitch[i] = this.int!.switchId
    pool.intPort[i] = this.int!.portId
    pool.intRateBps[i] = this.rateBps
    pool.intTsPs[i] = this.sched.nowPs
    pool.intTxBytes[i] = this.txBytes
    pool.intQlenBytes[i] = this.queuedBytes
    pool.intHops[pkt] = hop + 1
    pool.wireBytes[pkt]! += this.int!.bytesPerRecord
    this.intRecords++
  }

  private startNext(): void {
    if (this.down) return
    const pool = this.pool
    let pkt = this.ctrlHead
    if (pkt !== NONE) {
      this.ctrlHead = pool.next[pkt]!
      if (this.ctrlHead === NONE) this.ctrlTail = NONE
      this.queuedBytes -= pool.wireBytes[pkt]!
      if (this.buffer !== null) this.buffer.release(pkt, this)
    } else if (this.paused) {
      return
    } else if ((pkt = this.dataHead) !== NONE) {
      this.dataHead = pool.next[pkt]!
      if (this.dataHead === NONE) this.dataTail = NONE
      this.queuedBytes -= pool.wireBytes[pkt]!
      if (this.buffer !== null) this.buffer.release(pkt, this)
      if (this.int !== null) this.stampInt(pkt)
    } else if (this.source === null || (pkt = this.source.pull()) === NONE) {
      return
    }
    const bytes = pool.wireBytes[pkt]!
    this.inService = pkt
    this.inServiceBytes = bytes
    this.busy = true
    const f = this.store.f64
    const r = this.row
    const now = this.sched.nowPs
    const rate = f[r + PortCol.RATE_BPS]!
    f[r + PortCol.TX_START_PS] = now
    f[r + PortCol.TX_RATE_BPS] = rate
    this.sched.schedule(now + serializationPs(bytes, rate), this.targetId, PortEvent.TX_DONE, 0)
  }
}
