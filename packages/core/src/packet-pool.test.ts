import { describe, expect, it } from 'vitest'
import { PacketPool } from './packet-pool.ts'

describe('packet pool', () => {
  it('reuses freed slots and grows without losing fields', () => {
    const p = new PacketPool(2)
    const a = p.alloc()
    p.psn[a] = 7
    const b = p.alloc()
    const c = p.alloc() // grows
    p.psn[c] = 9
    expect(p.capacity).toBe(4)
    expect(p.psn[a]).toBe(7)
    p.free(b)
    expect(p.alloc()).toBe(b)
    expect(p.live).toBe(3)
    expect(p.psn[c]).toBe(9)
  })
})
