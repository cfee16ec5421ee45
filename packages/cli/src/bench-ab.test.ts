import { describe, expect, it } from 'vitest'
import { signTestP, summarizeAb, type AbPair } from './bench-ab.ts'

const pair = (base: number, work: number, hops = 100): AbPair => ({
  base: { scenario: 's', wallSeconds: base, events: 200, packetHops: 100 },
  work: { scenario: 's', wallSeconds: work, events: 200, packetHops: hops },
})

describe('bench --ab', () => {
  it('sign test: the binomial tail, two-sided', () => {
    expect(signTestP(6, 0)).toBeCloseTo(2 / 64, 12)
    expect(signTestP(0, 5)).toBeCloseTo(2 / 32, 12)
    // 7 of 8 one way: 2 * (1 + 8) / 256.
    expect(signTestP(7, 1)).toBeCloseTo(18 / 256, 12)
    expect(signTestP(3, 3)).toBe(1)
  })
  it('calls a change faster or slower only when the pairs agree beyond chance', () => {
    const six = (w: number) => Array.from({ length: 6 }, (_, i) => pair(1, w + i * 0.001))
    expect(summarizeAb(six(0.9)).verdict).toBe('faster')
    expect(summarizeAb(six(1.1)).verdict).toBe('slower')
    // Five pairs all faster is not enough (p = 0.0625), nor one pair against the rest out of six.
    expect(summarizeAb(six(0.9).slice(0, 5)).verdict).toBe('within noise')
    expect(summarizeAb([...six(0.9).slice(0, 5), pair(1, 1.2)]).verdict).toBe('within noise')
  })
  it('reports the median ratio, the fastest of each side and whether the simulated work was the same', () => {
    const s = summarizeAb([pair(2, 1), pair(1, 1.5), pair(4, 2), pair(1, 3)])
    expect(s.ratios).toEqual([0.5, 0.5, 1.5, 3])
    expect(s.medianRatio).toBe(1)
    expect(s.baseFastest).toBe(1)
    expect(s.workFastest).toBe(1)
    expect(s.sameWork).toBe(true)
    expect(summarizeAb([pair(1, 1), pair(1, 1, 101)]).sameWork).toBe(false)
  })
})
