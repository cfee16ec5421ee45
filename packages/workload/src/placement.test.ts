import { describe, expect, it } from 'vitest'
import { parsePlacementList, placementOf } from './placement.ts'

describe('placement', () => {
  it('interleave puts consecutive ranks on different leaves', () => {
    const p = placementOf('interleave', 8, 4, 4)
    for (let r = 1; r < 8; r++) expect(Math.floor(p[r]! / 4)).not.toBe(Math.floor(p[r - 1]! / 4))
  })

  it('random is a set of distinct hosts, fixed by the seed, different across seeds', () => {
    const a = placementOf('random', 12, 4, 4, 7)
    expect(new Set(a).size).toBe(12)
    for (const h of a) expect(h >= 0 && h < 16).toBe(true)
    expect(placementOf('random', 12, 4, 4, 7)).toEqual(a)
    expect(placementOf('random', 12, 4, 4, 8)).not.toEqual(a)
    // All hosts used once when ranks == hosts: a permutation, not a copy of packed.
    const full = placementOf('random', 16, 4, 4, 7)
    expect([...full].sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, h) => h))
    expect(full).not.toEqual(placementOf('packed', 16, 4, 4))
  })

  it('an explicit list is checked: count, range, duplicates', () => {
    expect(parsePlacementList('3, 0,7', 3, 8)).toEqual([3, 0, 7])
    expect(() => parsePlacementList('0,1', 3, 8)).toThrow(/lists 2 hosts for 3 ranks/)
    expect(() => parsePlacementList('0,8,1', 3, 8)).toThrow(/rank 1: expected a host in 0\.\.7, got "8"/)
    expect(() => parsePlacementList('0,x,1', 3, 8)).toThrow(/rank 1: expected a host/)
    expect(() => parsePlacementList('0,1e0,2', 3, 8)).toThrow(/rank 1: expected a host/)
    expect(() => parsePlacementList('0,1,0', 3, 8)).toThrow(/rank 2: host 0 already holds another rank/)
  })
})
