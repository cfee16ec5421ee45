import {
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

const TX_DONE = 0
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
  /** Byte limit of the queue (both classes together); arrivals beyond it are dropped (drop-tail). */
  bufferBytes: number
}

/**
 * An egress port: two strict-priority FIFO classes (control frames first, then
 * data), drop-tail on a byte-bounded buffer, RED ECN marking of data on
 * enqueue, and one packet serialized at a time onto its link. Only one
 * "transmission done" event is pending per busy port.
 */
export class EgressPort implements PacketSink, EventTarget {
  source: PacketSource | null = null
  marker: RedMarker | null = null

  /** Bytes waiting in the queues (not counting the frame being serialized). */
  queuedBytes = 0
  inServiceBytes = 0
  busy = false

  // Counters, read by the report.
  txPackets = 0
  txBytes = 0
  txDataPayloadBytes = 0
  drops = 0
  dropBytes = 0
  ecnMarks = 0
  maxQueuedBytes = 0
  busyPs = 0

  private ctrlHead = NONE
  private ctrlTail = NONE
  private dataHead = NONE
  private dataTail = NONE
  private inService = NONE
  private txStartPs = 0
  private readonly targetId: number

  constructor(
    private readonly sched: Scheduler,
    private readonly pool: PacketPool,
    readonly cfg: EgressPortConfig,
    readonly link: Link,
  ) {
    this.targetId = sched.register(this)
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
    const bytes = pool.wireBytes[pkt]!
    if (this.queuedBytes + bytes > this.cfg.bufferBytes) {
      this.drops++
      this.dropBytes += bytes
      pool.free(pkt)
      return
    }
    const next = pool.next
    next[pkt] = NONE
    if (pool.kind[pkt] === PacketKind.DATA) {
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

  /** Tells an idle port that its source may have something to send now. */
  kick(): void {
    if (!this.busy) this.startNext()
  }

  onEvent(_kind: number, _arg: number): void {
    const pkt = this.inService
    const bytes = this.inServiceBytes
    const pool = this.pool
    this.inService = NONE
    this.inServiceBytes = 0
    this.txPackets++
    this.txBytes += bytes
    if (pool.kind[pkt] === PacketKind.DATA) this.txDataPayloadBytes += pool.payloadBytes[pkt]!
    this.busyPs += this.sched.nowPs - this.txStartPs
    this.busy = false
    this.link.accept(pkt, bytes)
    this.startNext()
  }

  private startNext(): void {
    const pool = this.pool
    let pkt = this.ctrlHead
    if (pkt !== NONE) {
      this.ctrlHead = pool.next[pkt]!
      if (this.ctrlHead === NONE) this.ctrlTail = NONE
      this.queuedBytes -= pool.wireBytes[pkt]!
    } else if ((pkt = this.dataHead) !== NONE) {
      this.dataHead = pool.next[pkt]!
      if (this.dataHead === NONE) this.dataTail = NONE
      this.queuedBytes -= pool.wireBytes[pkt]!
    } else if (this.source === null || (pkt = this.source.pull()) === NONE) {
      return
    }
    const bytes = pool.wireBytes[pkt]!
    this.inService = pkt
    this.inServiceBytes = bytes
    this.busy = true
    this.txStartPs = this.sched.nowPs
    this.sched.schedule(this.sched.nowPs + serializationPs(bytes, this.cfg.rateBps), this.targetId, TX_DONE, 0)
  }
}
