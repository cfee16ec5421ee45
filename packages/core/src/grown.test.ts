import { describe, expect, it } from 'vitest'
import { grown } from './grown.ts'

describe('grown', () => {
  it('keeps the kind and the elements, and zeroes the new room', () => {
    const a = Float64Array.of(1.5, -2)
    const b = grown(a, 4)
    expect(b).toBeInstanceOf(Float64Array)
    expect(Array.from(b)).toEqual([1.5, -2, 0, 0])
    expect(Array.from(grown(Uint8Array.of(7, 8, 9), 2))).toEqual([7, 8])
  })
})
