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
  it('puts a run of equal-time events behind a later one without walking the run each time', () => {
    // A cluster of equal times (equal frames sent at once) in a bucket whose last event is later:
    // each insert belongs after the cluster and before that event. From the head that is a walk
    // over the whole cluster per insert (n^2 / 2 steps); from the bucket's last insert, about none.
    const s = new Scheduler()
    const order: number[] = []
    const id = s.register({ onEvent: (_k, a) => order.push(a) })
    const n = 2000
    s.schedule(1001, id, 0, -1)
    for (let i = 0; i < n; i++) s.schedule(1000, id, 0, i)
    expect(s.insertWalkSteps).toBeLessThan(4 * n)
    s.run()
    expect(order).toEqual([...Array.from({ length: n }, (_, i) => i), -1])
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

describe('scheduler: calendar and heap together', () => {
  it('keeps (time, seq) order across bucket laps, far events and events scheduled behind the calendar head', () => {
    // A random workload checked against a plain sort of (time, seq): near events (calendar),
    // far ones (heap), ties, and events scheduled from inside other events.
    const s = new Scheduler(4)
    const seen: [number, number][] = []
    let seq = 0
    const expected: [number, number, number][] = []
    let x = 12345
    const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32)
    const id = s.register({
      onEvent: (_k, a) => {
        seen.push([s.nowPs, a])
        if (seen.length < 3000) {
          for (let i = 0; i < 2; i++) {
            const far = rand() < 0.1
            const dt = far ? Math.floor(rand() * 2e9) : rand() < 0.2 ? 0 : Math.floor(rand() * 5e5)
            const n = seq++
            expected.push([s.nowPs + dt, n, n])
            s.schedule(s.nowPs + dt, id, 0, n)
          }
        }
      },
    })
    for (let i = 0; i < 20; i++) {
      const n = seq++
      const t = Math.floor(rand() * 1e9)
      expected.push([t, n, n])
      s.schedule(t, id, 0, n)
    }
    expect(s.run()).toBe('idle')
    // The run's order is the (time, seq) sort of everything scheduled.
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    expect(seen).toEqual(expected.map(([t, , a]) => [t, a]))
    expect(s.pending).toBe(0)
  })

  it('keeps the order while the calendar grows, shrinks and changes its bucket width', () => {
    // Thousands of pending events whose spacing changes by orders of magnitude between phases:
    // the calendar resizes several times, and the order must still be the (time, seq) sort.
    const s = new Scheduler(16)
    const seen: number[] = []
    const expected: [number, number][] = []
    let seq = 0
    let x = 777
    const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32)
    const spreads = [50, 5e6, 2000, 2e9, 10]
    const id = s.register({
      onEvent: (_k, a) => {
        seen.push(a)
        if (seen.length < 60_000) {
          const spread = spreads[Math.floor(seen.length / 12_000)]!
          const n = seq++
          const t = s.nowPs + Math.floor(rand() * spread)
          expected.push([t, n])
          s.schedule(t, id, 0, n)
        }
      },
    })
    for (let i = 0; i < 8000; i++) {
      const n = seq++
      const t = Math.floor(rand() * 1e6)
      expected.push([t, n])
      s.schedule(t, id, 0, n)
    }
    expect(s.run()).toBe('idle')
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    expect(seen).toEqual(expected.map(([, n]) => n))
    expect(s.resizes).toBeGreaterThan(3)
  })

  it('after a quiet gap longer than its horizon, near events go to the calendar again', () => {
    const s = new Scheduler()
    let n = 0
    const id = s.register({ onEvent: () => n++ < 100 && s.schedule(s.nowPs + 1_000_000, id, 0, 0) })
    s.schedule(5_000_000_000, id, 0, 0) // 5 ms ahead: the heap
    s.run()
    expect(n).toBe(101)
    expect(s.heapScheduled).toBe(1)
  })
})
