import { describe, expect, it } from 'vitest'
import { Scheduler, type EventTarget } from './scheduler.ts'

describe('scheduler', () => {
  it('runs events by time, and equal times in insertion order', () => {
    const s = new Scheduler(2)
    const seen: string[] = []
    const t: EventTarget = { onEvent: (k, a) => seen.push(`${s.nowPs}:${k}:${a}`) }
    const id = s.register(t)
    s.schedule(30, id, 1, 0)
    s.schedule(10, id, 2, 0)
    s.schedule(10, id, 3, 0)
    s.schedule(20, id, 4, 0)
    s.schedule(10, id, 5, 0)
    expect(s.run()).toBe('idle')
    expect(seen).toEqual(['10:2:0', '10:3:0', '10:5:0', '20:4:0', '30:1:0'])
    expect(s.executed).toBe(5)
  })
  it('stops at a time limit and an event limit', () => {
    const s = new Scheduler()
    const id = s.register({ onEvent: () => {} })
    for (let i = 1; i <= 10; i++) s.schedule(i * 100, id, 0, 0)
    expect(s.run(450)).toBe('time-limit')
    expect(s.executed).toBe(4)
    expect(s.run(Infinity, 3)).toBe('event-limit')
    expect(s.executed).toBe(7)
  })
})
