/**
 * A histogram of byte counts (queue depths) in fixed 4 KiB buckets up to 4 MiB
 * (deeper values land in the last bucket): one increment per sample, no
 * allocation, quantiles to within a bucket.
 */
export class ByteHistogram {
  static readonly BUCKET_BYTES = 4096
  static readonly BUCKETS = 1024
  readonly counts = new Uint32Array(ByteHistogram.BUCKETS)
  samples = 0

  add(bytes: number): void {
    const i = Math.floor(bytes / ByteHistogram.BUCKET_BYTES)
    this.counts[i < ByteHistogram.BUCKETS ? i : ByteHistogram.BUCKETS - 1]!++
    this.samples++
  }

  addAll(other: ByteHistogram): void {
    for (let i = 0; i < ByteHistogram.BUCKETS; i++) this.counts[i]! += other.counts[i]!
    this.samples += other.samples
  }

  /** Upper edge of the bucket holding quantile q (0..1); 0 with no samples. */
  quantile(q: number): number {
    if (this.samples === 0) return 0
    const rank = Math.ceil(q * this.samples)
    let seen = 0
    for (let i = 0; i < ByteHistogram.BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank && seen > 0) return (i + 1) * ByteHistogram.BUCKET_BYTES
    }
    return ByteHistogram.BUCKETS * ByteHistogram.BUCKET_BYTES
  }
}
