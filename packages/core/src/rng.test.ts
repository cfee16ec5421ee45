import { describe, expect, it } from 'vitest'
import { Rng, RngFactory } from './rng.ts'

describe('rng', () => {
  it('gives the same numbers for the same seed and stream name', () => {
    const a = new RngFactory(42).stream('switch/3/lb')
    const b = new RngFactory(42).stream('switch/3/lb')
    for (let i = 0; i < 100; i++) expect(a.nextU32()).toBe(b.nextU32())
  })
  it('gives different numbers for different stream names or seeds', () => {
    const a = new RngFactory(42).stream('a')
    const b = new RngFactory(42).stream('b')
    const c = new RngFactory(43).stream('a')
    const xs = [a.nextU32(), b.nextU32(), c.nextU32()]
    expect(new Set(xs).size).toBe(3)
  })
  it('draws integers uniformly (chi-square over 8 bins)', () => {
    const r = new Rng(7)
    const bins = new Array(8).fill(0)
    const n = 80_000
    for (let i = 0; i < n; i++) bins[r.nextInt(8)]++
    const e = n / 8
    const chi2 = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0)
    // 7 degrees of freedom: P(chi2 > 24.3) = 0.001.
    expect(chi2).toBeLessThan(24.3)
  })
})
