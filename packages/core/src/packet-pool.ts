import type { PacketId } from './packet-sink.ts'

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
    this.kind = growU8(this.kind, cap)
    this.flags = growU8(this.flags, cap)
    this.src = growI32(this.src, cap)
    this.dst = growI32(this.dst, cap)
    this.qp = growI32(this.qp, cap)
    this.psn = growI32(this.psn, cap)
    this.wireBytes = growI32(this.wireBytes, cap)
    this.payloadBytes = growI32(this.payloadBytes, cap)
    this.entropy = growI32(this.entropy, cap)
    this.sentPs = growF64(this.sentPs, cap)
    this.next = growI32(this.next, cap)
    this.ingress = growI32(this.ingress, cap)
    this.nakPsn = growI32(this.nakPsn, cap)
    this.ceCount = growI32(this.ceCount, cap)
    this.sackLo = growI32(this.sackLo, cap)
    this.sackHi = growI32(this.sackHi, cap)
    this.intHops = growU8(this.intHops, cap)
    if (this.intMaxHops > 0) {
      const n = cap * this.intMaxHops
      this.intSwitch = growI32(this.intSwitch, n)
      this.intPort = growI32(this.intPort, n)
      this.intRateBps = growF64(this.intRateBps, n)
      this.intTsPs = growF64(this.intTsPs, n)
      this.intTxBytes = growF64(this.intTxBytes, n)
      this.intQlenBytes = growI32(this.intQlenBytes, n)
    }
    this.capacity = cap
  }
}

function growU8(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap)
  b.set(a)
  return b
}
function growI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap)
  b.set(a)
  return b
}
function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap)
  b.set(a)
  return b
}
