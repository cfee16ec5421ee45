import type { PacketId } from './packet-sink.ts'
import { grown } from './grown.ts'

/** What a frame is. Control frames (everything but DATA) ride the high-priority class. */
export const PacketKind = {
  DATA: 0,
  ACK: 1,
  NAK: 2,
  /** Congestion notification (DCQCN): receiver to sender, for CE-marked arrivals. */
  CNP: 3,
} as const
export type PacketKind = (typeof PacketKind)[keyof typeof PacketKind]

/** Bits of `flags`. */
export const PacketFlag = {
  /** Congestion Experienced: set by a port's RED marker on a data packet. */
  CE: 1,
  /** ECN echo: an ACK reporting that the data it acknowledges carried CE. */
  ECE: 2,
  /** A retransmitted data packet. */
  RETX: 4,
  /** The last packet of a message. */
  LAST: 8,
  /** A data packet cut to its headers by a full switch queue (trimming); it rides the control class. */
  TRIMMED: 16,
  /** InfiniBand's AckReq: the sender's window is full, so the receiver ACKs this packet at once instead of coalescing. */
  ACK_REQ: 32,
} as const

const NONE = -1

/**
 * All packets of a run live here as a struct of typed arrays: a packet is an index,
 * so the hot path allocates nothing. Freed slots are kept on a free list threaded
 * through `next`; `next` also links a packet into the one queue it sits in.
 * Arrays grow by doubling; never keep a reference to one across an allocation.
 */
export class PacketPool {
  capacity: number
  kind: Uint8Array
  flags: Uint8Array
  src: Int32Array
  dst: Int32Array
  qp: Int32Array
  psn: Int32Array
  wireBytes: Int32Array
  payloadBytes: Int32Array
  entropy: Int32Array
  sentPs: Float64Array
  next: Int32Array
  /** NAKs: the PSN to send again (psn carries the cumulative acknowledgement). */
  nakPsn: Int32Array
  /** ACKs: how many CE-marked data packets they cover (ECE says only whether any was). */
  ceCount: Int32Array
  /** ACKs in selective mode: which of the 64 PSNs after the cumulative one have arrived (bits 0..31, 32..63). */
  sackLo: Int32Array
  sackHi: Int32Array
  /** Index, at the switch the packet is in, of the ingress link it came through (buffer and PFC accounting). */
  ingress: Int32Array

  // In-band telemetry: up to intMaxHops records per packet, slot i of packet p at p * intMaxHops + i.
  // Allocated only when a run enables INT (enableInt).
  intMaxHops = 0
  intHops: Uint8Array
  intSwitch: Int32Array = new Int32Array(0)
  /** The egress port's fabric-wide index: what tells two records of the same port apart from two of the same switch. */
  intPort: Int32Array = new Int32Array(0)
  intRateBps: Float64Array = new Float64Array(0)
  intTsPs: Float64Array = new Float64Array(0)
  intTxBytes: Float64Array = new Float64Array(0)
  intQlenBytes: Int32Array = new Int32Array(0)

  private freeHead = NONE
  private highWater = 0
  /** Packets currently allocated (conservation check: zero at the end of a run). */
  live = 0
  allocatedTotal = 0

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity
    this.kind = new Uint8Array(initialCapacity)
    this.flags = new Uint8Array(initialCapacity)
    this.src = new Int32Array(initialCapacity)
    this.dst = new Int32Array(initialCapacity)
    this.qp = new Int32Array(initialCapacity)
    this.psn = new Int32Array(initialCapacity)
    this.wireBytes = new Int32Array(initialCapacity)
    this.payloadBytes = new Int32Array(initialCapacity)
    this.entropy = new Int32Array(initialCapacity)
    this.sentPs = new Float64Array(initialCapacity)
    this.next = new Int32Array(initialCapacity)
    this.ingress = new Int32Array(initialCapacity)
    this.nakPsn = new Int32Array(initialCapacity)
    this.ceCount = new Int32Array(initialCapacity)
    this.sackLo = new Int32Array(initialCapacity)
    this.sackHi = new Int32Array(initialCapacity)
    this.intHops = new Uint8Array(initialCapacity)
  }

  /** Makes room for `maxHops` INT records per packet. */
  enableInt(maxHops: number): void {
    this.intMaxHops = maxHops
    const n = this.capacity * maxHops
    this.intSwitch = new Int32Array(n)
    this.intPort = new Int32Array(n)
    this.intRateBps = new Float64Array(n)
    this.intTsPs = new Float64Array(n)
    this.intTxBytes = new Float64Array(n)
    this.intQlenBytes = new Int32Array(n)
  }

  alloc(): PacketId {
    let id = this.freeHead
    if (id !== NONE) {
      this.freeHead = this.next[id]!
    } else {
      if (this.highWater === this.capacity) this.grow()
      id = this.highWater++
    }
    this.flags[id] = 0
    this.intHops[id] = 0
    this.next[id] = NONE
    this.live++
    this.allocatedTotal++
    return id
  }

  free(id: PacketId): void {
    this.next[id] = this.freeHead
    this.freeHead = id
    this.live--
  }

  /** Peak number of simultaneously allocated packets. */
  get peak(): number {
    return this.highWater
  }

  private grow(): void {
    const cap = this.capacity * 2
    this.kind = grown(this.kind, cap)
    this.flags = grown(this.flags, cap)
    this.src = grown(this.src, cap)
    this.dst = grown(this.dst, cap)
    this.qp = grown(this.qp, cap)
    this.psn = grown(this.psn, cap)
    this.wireBytes = grown(this.wireBytes, cap)
    this.payloadBytes = grown(this.payloadBytes, cap)
    this.entropy = grown(this.entropy, cap)
    this.sentPs = grown(this.sentPs, cap)
    this.next = grown(this.next, cap)
    this.ingress = grown(this.ingress, cap)
    this.nakPsn = grown(this.nakPsn, cap)
    this.ceCount = grown(this.ceCount, cap)
    this.sackLo = grown(this.sackLo, cap)
    this.sackHi = grown(this.sackHi, cap)
    this.intHops = grown(this.intHops, cap)
    if (this.intMaxHops > 0) {
      const n = cap * this.intMaxHops
      this.intSwitch = grown(this.intSwitch, n)
      this.intPort = grown(this.intPort, n)
      this.intRateBps = grown(this.intRateBps, n)
      this.intTsPs = grown(this.intTsPs, n)
      this.intTxBytes = grown(this.intTxBytes, n)
      this.intQlenBytes = grown(this.intQlenBytes, n)
    }
    this.capacity = cap
  }
}
