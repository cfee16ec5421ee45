/** Below this, buckets are 4 KiB wide; from it on, each power of two is split into SUB buckets. */
const LINEAR_LIMIT_BYTES = 65536
const LINEAR_SHIFT = 12
const LINEAR_BUCKETS = LINEAR_LIMIT_BYTES >> LINEAR_SHIFT
const SUB_BITS = 4
const SUB = 1 << SUB_BITS
const FIRST_OCTAVE = 16 // log2(LINEAR_LIMIT_BYTES)
/** Octaves 64 KiB..4 MiB; deeper values share the last (overflow) bucket. */
const OCTAVES = 6
const BUCKETS = LINEAR_BUCKETS + OCTAVES * SUB + 1

/**
 * A histogram of byte counts (queue depths): 4 KiB buckets below 64 KiB, then
 * 16 buckets per power of two up to 4 MiB (within 6.25%), deeper values in
 * one overflow bucket. One increment per sample, no allocation. It is small
 * (113 counters) on purpose: every egress port keeps one and updates it per
 * packet, and a fabric of thousands of ports must keep them all in cache.
 */
export class ByteHistogram {
  readonly counts = new Uint32Array(BUCKETS)
  samples = 0
  /** The largest value added: quantiles never report more than was seen. */
  maxBytes = 0

  add(bytes: number): void {
    this.counts[ByteHistogram.bucketOf(bytes)]!++
    this.samples++
    if (bytes > this.maxBytes) this.maxBytes = bytes
  }

  static bucketOf(bytes: number): number {
    if (bytes < LINEAR_LIMIT_BYTES) return bytes >> LINEAR_SHIFT
    const octave = 31 - Math.clz32(bytes) - FIRST_OCTAVE
    if (octave >= OCTAVES) return BUCKETS - 1
    return LINEAR_BUCKETS + octave * SUB + ((bytes >>> (octave + FIRST_OCTAVE - SUB_BITS)) & (SUB - 1))
  }

  /** First byte count past bucket i (for the overflow bucket: Infinity). */
  static upperEdgeBytes(i: number): number {
    if (i < LINEAR_BUCKETS) return (i + 1) << LINEAR_SHIFT
    if (i === BUCKETS - 1) return Infinity
    const octave = Math.floor((i - LINEAR_BUCKETS) / SUB)
    const sub = (i - LINEAR_BUCKETS) % SUB
    return (SUB + sub + 1) * 2 ** (octave + FIRST_OCTAVE - SUB_BITS)
  }

  addAll(other: ByteHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!
    this.samples += other.samples
    if (other.maxBytes > this.maxBytes) this.maxBytes = other.maxBytes
  }

  /** Upper edge of the bucket holding quantile q (0..1), at most the largest value seen; 0 with no samples. */
  quantile(q: number): number {
    if (this.samples === 0) return 0
    const rank = Math.max(1, Math.ceil(q * this.samples))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return Math.min(ByteHistogram.upperEdgeBytes(i), this.maxBytes)
    }
    return this.maxBytes
  }
}
