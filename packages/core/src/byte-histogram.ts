import { grown } from './grown.ts'

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
 * one overflow bucket. One increment per sample, no allocation.
 */
export class ByteHistogram {
  static readonly BUCKETS = BUCKETS
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
    // clz32 wraps at 2^32: anything that deep is overflow anyway.
    if (bytes >= 2 ** 31) return BUCKETS - 1
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

const ROW_SAMPLES = 0
const ROW_MAX = 1
const ROW_FIRST_BUCKET = 2
const ROW = ROW_FIRST_BUCKET + BUCKETS + 1 // 116: rows start 16-byte aligned

/**
 * Many byte histograms in one array, a row each: [samples, max, buckets...].
 * Every egress port samples the queue it finds per data packet; with a
 * histogram object per port that was three dependent cache misses per sample
 * (object, typed array, its store), 9% of a 1024-host run. Here a sample
 * touches only its row, whose first line also holds the shallow buckets
 * where most samples fall.
 */
export class ByteHistogramSet {
  private rows = new Uint32Array(ROW * 16)
  private size = 0

  /** A new, empty histogram; returns its slot. */
  addSlot(): number {
    if ((this.size + 1) * ROW > this.rows.length) this.rows = grown(this.rows, this.rows.length * 2)
    return this.size++
  }

  add(slot: number, bytes: number): void {
    const rows = this.rows
    const row = slot * ROW
    rows[row + ROW_FIRST_BUCKET + ByteHistogram.bucketOf(bytes)]!++
    rows[row + ROW_SAMPLES]!++
    // The row is 32-bit: a deeper maximum is kept as the largest it can hold.
    if (bytes > rows[row + ROW_MAX]!) rows[row + ROW_MAX] = Math.min(bytes, 0xffffffff)
  }

  /** Slot `slot` as a ByteHistogram of its own (a copy, for reports). */
  histogram(slot: number): ByteHistogram {
    const h = new ByteHistogram()
    const row = slot * ROW
    h.counts.set(this.rows.subarray(row + ROW_FIRST_BUCKET, row + ROW_FIRST_BUCKET + BUCKETS))
    h.samples = this.rows[row + ROW_SAMPLES]!
    h.maxBytes = this.rows[row + ROW_MAX]!
    return h
  }
}
