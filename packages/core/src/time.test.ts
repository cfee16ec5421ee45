import { describe, expect, it } from 'vitest'
import { psFromNs, psFromUs, rateBpsOf, serializationPs } from './time.ts'

describe('time', () => {
  it('serializes 4096 bytes at 400 Gb/s in exactly 81,920 ps', () => {
    expect(serializationPs(4096, 400e9)).toBe(81_920)
  })
  it('rounds serialization up so a port never beats its rate', () => {
    // 1 byte at 3 Gb/s is 2666.67 ps.
    expect(serializationPs(1, 3e9)).toBe(2667)
  })
  it('converts units', () => {
    expect(psFromNs(500)).toBe(500_000)
    expect(psFromUs(1.5)).toBe(1_500_000)
    expect(rateBpsOf(50e9 / 8, 1e12)).toBeCloseTo(50e9)
  })
})
