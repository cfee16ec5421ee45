import { describe, expect, it } from 'vitest'
import { meanCi95, t95 } from './seed-stats.ts'

describe('seed statistics', () => {
  it('mean and 95% interval by Student t', () => {
    // Mean 3, sample sd sqrt(2.5), t(4) = 2.776: half-width 2.776 x 1.5811 / 2.2361.
    const r = meanCi95([1, 2, 3, 4, 5])
    expect(r.mean).toBe(3)
    expect(r.halfWidth).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 9)
    expect(meanCi95([7]).halfWidth).toBeNull()
    expect(t95(40)).toBeCloseTo(2.021, 2)
    expect(t95(120)).toBeCloseTo(1.98, 2)
  })
})
