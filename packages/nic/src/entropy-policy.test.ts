import { describe, expect, it } from 'vitest'
import { FixedWindow } from './cc/none.ts'
import { entropyPolicy } from './entropy-policy.ts'
import { QueuePair } from './queue-pair.ts'

const qp = () => new QueuePair(0, 0, 1, 0, 1000, new FixedWindow(1, 1), 8)

describe('entropy policies', () => {
  it('fixed: one value per queue pair', () => {
    const p = entropyPolicy('fixed', 4)
    const q = qp()
    expect([p.next(q), p.next(q), p.next(q)]).toEqual([1000, 1000, 1000])
  })
  it('oblivious: round robin over E values', () => {
    const p = entropyPolicy('oblivious', 3)
    const q = qp()
    expect(Array.from({ length: 7 }, () => p.next(q))).toEqual([1000, 1001, 1002, 1000, 1001, 1002, 1000])
  })
  it('reps: reuses entropies acked without ECN, explores otherwise, forgets the oldest when full', () => {
    const p = entropyPolicy('reps', 2)
    const q = qp()
    const a = p.next(q)
    const b = p.next(q)
    expect(a).not.toBe(b)
    p.feedback(q, a, false)
    p.feedback(q, b, true) // marked: not reused
    expect(p.next(q)).toBe(a)
    const c = p.next(q)
    expect([a, b]).not.toContain(c)
    p.feedback(q, 1, false)
    p.feedback(q, 2, false)
    p.feedback(q, 3, false)
    expect([p.next(q), p.next(q)]).toEqual([2, 3])
  })
})
