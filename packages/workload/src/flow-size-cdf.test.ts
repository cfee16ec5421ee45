import { Rng } from '@aifab/core'
import { describe, expect, it } from 'vitest'
import { cdfMeanBytes, parseCdf, publishedCdf, sampleCdf } from './flow-size-cdf.ts'

describe('flow-size CDFs', () => {
  for (const name of ['websearch', 'hadoop']) {
    it(`${name}: samples follow the table at every point, and their mean the computed mean`, () => {
      const cdf = publishedCdf(name)!
      const rng = new Rng(5, 1)
      const n = 200_000
      const xs = Array.from({ length: n }, () => sampleCdf(cdf, rng.nextFloat()))
      cdf.bytes.forEach((b, i) => {
        const below = xs.filter((x) => x <= b).length / n
        // Binomial sd at most 0.5 / sqrt(n) = 0.0011; rounding to whole bytes moves a point by at most one byte's mass.
        expect(Math.abs(below - cdf.cumulative[i]!), `${name} at ${b} B`).toBeLessThan(0.006)
      })
      const mean = xs.reduce((s, x) => s + x, 0) / n
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1))
      expect(Math.abs(mean - cdfMeanBytes(cdf))).toBeLessThan((4 * sd) / Math.sqrt(n))
    })
  }

  it('reads a file in percent or fractions, and names the bad line', () => {
    const pct = parseCdf('# sizes\n0 0\n1000 50\n3000 100\n', 'f')
    expect(pct.cumulative).toEqual([0, 0.5, 1])
    expect(cdfMeanBytes(pct)).toBe(0.5 * 500 + 0.5 * 2000)
    expect(parseCdf('0 0\n10 1', 'f').cumulative).toEqual([0, 1])
    expect(() => parseCdf('0 0\n10 x\n', 'f')).toThrow(/line 2: expected "bytes cumulative"/)
    expect(() => parseCdf('0 0\n10 60\n5 100\n', 'f')).toThrow(/line 3: sizes and cumulative values must not decrease/)
    expect(() => parseCdf('0 0\n10 60\n', 'f')).toThrow(/must be 100 \(percent\) or 1/)
    expect(() => parseCdf('0 -5\n10 100\n', 'f')).toThrow(/line 1: sizes and cumulative values must be >= 0/)
    // A table starting above 0: its first fraction is a point mass at its first size.
    const step = parseCdf('1000 50\n1100 100\n', 'f')
    expect(sampleCdf(step, 0.2)).toBe(1000)
    expect(sampleCdf(step, 0.75)).toBe(1050)
    expect(cdfMeanBytes(step)).toBe(0.5 * 1000 + 0.5 * 1050)
  })
})
