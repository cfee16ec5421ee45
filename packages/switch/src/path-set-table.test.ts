import { describe, expect, it } from 'vitest'
import { PathSetTable } from './path-set-table.ts'

describe('PathSetTable', () => {
  it('keeps each queue pair its own set through growth, with keys in power-of-two strides', () => {
    const t = new PathSetTable()
    // 5000 queue pairs 1024 apart, queue pair i taking candidates 0..(i % 40): sets up to 40 wide.
    for (let i = 0; i < 5000; i++) for (let c = 0; c <= i % 40; c++) t.add(i * 1024 + 3, c)
    expect(t.size).toBe(5000)
    for (let i = 0; i < 5000; i++) expect(t.count(i * 1024 + 3)).toBe((i % 40) + 1)
    expect([t.count(4), t.count(0), t.count(5000 * 1024 + 3)]).toEqual([0, 0, 0])
    let seen = 0
    let total = 0
    t.forEach((qp, n) => {
      seen++
      total += n - (((qp - 3) / 1024) % 40) - 1
    })
    expect([seen, total]).toEqual([5000, 0])
  })

  it('counts a candidate once however often it is taken, and folds beyond 64', () => {
    const t = new PathSetTable()
    for (let i = 0; i < 10; i++) t.add(7, 2)
    t.add(7, 33)
    t.add(7, 33 + 64)
    expect(t.count(7)).toBe(2)
  })
})
