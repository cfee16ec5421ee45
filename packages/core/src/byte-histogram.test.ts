import { describe, expect, it } from 'vitest'
import { ByteHistogram, ByteHistogramSet } from './byte-histogram.ts'

describe('byte histogram', () => {
  it('puts every value in the bucket whose edges hold it, within 6.25% above 64 KiB', () => {
    for (let b = 0; b < 5_000_000; b += 997) {
      const i = ByteHistogram.bucketOf(b)
      const upper = ByteHistogram.upperEdgeBytes(i)
      const lower = i === 0 ? 0 : ByteHistogram.upperEdgeBytes(i - 1)
      expect(b).toBeGreaterThanOrEqual(lower)
      expect(b).toBeLessThan(upper)
      if (b >= 65536 && upper !== Infinity) expect((upper - lower) / lower).toBeLessThanOrEqual(1 / 16)
      if (b < 65536) expect(upper - lower).toBe(4096)
    }
  })
  it('gives quantiles to within a bucket, never above the largest value seen', () => {
    const h = new ByteHistogram()
    for (let i = 1; i <= 100; i++) h.add(i * 10_000) // 10 kB .. 1 MB
    expect(h.quantile(0.5)).toBeGreaterThanOrEqual(500_000)
    expect(h.quantile(0.5)).toBeLessThanOrEqual(500_000 * 1.0625)
    expect(h.quantile(0.99)).toBeGreaterThanOrEqual(990_000)
    expect(h.quantile(1)).toBe(1_000_000)
    const deep = new ByteHistogram()
    deep.add(9_000_000)
    expect(deep.quantile(0.99)).toBe(9_000_000)
    // Past 2^31 bytes (where clz32 would wrap), still the overflow bucket.
    for (const b of [2 ** 31, 2 ** 32, 2 ** 32 + 70_000]) expect(ByteHistogram.bucketOf(b)).toBe(ByteHistogram.BUCKETS - 1)
    expect(new ByteHistogram().quantile(0.99)).toBe(0)
  })
  it('adds histograms', () => {
    const a = new ByteHistogram()
    const b = new ByteHistogram()
    a.add(100)
    b.add(200_000)
    a.addAll(b)
    expect(a.samples).toBe(2)
    expect(a.quantile(1)).toBe(200_000)
    expect(a.quantile(0.5)).toBe(4096)
  })
  it('keeps many histograms apart in one set, as it grows', () => {
    const set = new ByteHistogramSet()
    const slots = Array.from({ length: 40 }, () => set.addSlot())
    for (const s of slots) for (let i = 0; i <= s; i++) set.add(s, s * 10_000 + i)
    for (const s of slots) {
      const h = set.histogram(s)
      expect(h.samples).toBe(s + 1)
      expect(h.maxBytes).toBe(s * 11_000 - s * 1000 + s)
      const plain = new ByteHistogram()
      for (let i = 0; i <= s; i++) plain.add(s * 10_000 + i)
      expect(h).toEqual(plain)
    }
  })
})
