import { describe, expect, it } from 'vitest'
import { parseTrace } from './parse-trace.ts'
import { genRingAllreduce } from './gen-ring-allreduce.ts'
import { genPermutation } from './gen-permutation.ts'
import { serializeTrace } from './write-trace.ts'
import { unpack } from 'msgpackr'
import { inputWarnings } from '@aifab/core'

const base = () => ({
  format: 'aifab.trace',
  version: 1,
  name: 't',
  ranks: 4,
  ops: [
    { id: 0, src: 0, dst: 1, bytes: 100, deps: [] },
    { id: 1, src: 1, dst: 2, bytes: 100, deps: [0] },
  ],
})

function errorOf(mutate: (t: any) => void): string {
  const t = base()
  mutate(t)
  try {
    parseTrace(t, 'x.json')
  } catch (e) {
    return (e as Error).message
  }
  return 'no error'
}

describe('trace parsing', () => {
  it('jobs: each op names one, and a collective job states its ranks', () => {
    const withJobs = (t: any) => {
      t.jobs = [{ name: 'a', ranks: 2, collective: { kind: 'allreduce', bytes: 100 } }, { name: 'b' }]
      t.ops[0].job = 0
      t.ops[1].job = 1
    }
    expect(errorOf(withJobs)).toBe('no error')
    expect(errorOf((t) => { withJobs(t); t.ops[1].job = 2 })).toMatch(/x\.json: ops\[1\]\.job: .*1/)
    expect(errorOf((t) => { withJobs(t); delete t.ops[0].job })).toMatch(/ops\[0\]\.job/)
    expect(errorOf((t) => { t.ops[0].job = 0 })).toMatch(/ops\[0\]\.job: ops name a job only when the trace has a "jobs" list/)
    expect(errorOf((t) => { withJobs(t); delete t.jobs[0].ranks })).toMatch(/jobs\[0\]\.ranks: a job with a collective needs its ranks/)
  })

  it('accepts a valid trace', () => {
    expect(parseTrace(base(), 'x.json').ops.length).toBe(2)
  })
  it('names the file, the field path and what was expected', () => {
    expect(errorOf((t) => (t.ops[1].dst = 70))).toBe('x.json: ops[1].dst: rank out of range 0..3, got 70')
    expect(errorOf((t) => (t.ops[0].bytes = -1))).toBe('x.json: ops[0].bytes: expected an integer in 1..1099511627776, got -1')
    expect(errorOf((t) => (t.ops[1].deps = [5]))).toBe('x.json: ops[1].deps[0]: no op has id 5')
    expect(errorOf((t) => (t.ops[1].id = 0))).toBe('x.json: ops[1].id: duplicate op id 0 (also ops[0])')
    expect(errorOf((t) => (t.version = 2))).toMatch(/^x\.json: version: expected 1/)
    expect(errorOf((t) => (t.ops[0].dst = 0))).toBe('x.json: ops[0].dst: expected a rank other than src (0)')
    expect(errorOf((t) => (t.placement = [0, 1, 1, 2]))).toBe('x.json: placement[2]: host 1 already holds rank 1; one rank per host')
  })
  it('reads unknown fields with one warning per field, however many ops carry it', () => {
    inputWarnings.take()
    const t = base() as any
    t.ops[0].sizeBytes = 3
    t.ops[1].sizeBytes = 4
    t.colour = 'red'
    expect(parseTrace(t, 'x.json').ops.length).toBe(2)
    expect(inputWarnings.take()).toEqual([
      'x.json: colour: unknown field, ignored; expected one of: format, version, name, description, ranks, collective, placement, jobs, ops',
      'x.json: ops[*].sizeBytes: unknown field, ignored; expected one of: id, src, dst, bytes, deps, startNs, channel, job (2 times)',
    ])
  })
  it('rejects dependency cycles', () => {
    expect(errorOf((t) => (t.ops[0].deps = [1]))).toMatch(/dependency cycle/)
  })
})

describe('generators', () => {
  it('ring all-reduce: each rank sends 2(N-1)/N x S, in 2(N-1) steps per channel', () => {
    for (const [n, s, c] of [
      [8, 8 * 1024 * 1024, 1],
      [5, 1_000_003, 2],
    ] as const) {
      const t = genRingAllreduce({ ranks: n, bytes: s, channels: c })
      expect(t.ops.length).toBe(2 * (n - 1) * n * c)
      for (let r = 0; r < n; r++) {
        const sent = t.ops.filter((o) => o.src === r).reduce((a, o) => a + o.bytes, 0)
        // Exact when S divides evenly; otherwise within one byte per step and channel.
        expect(Math.abs(sent - (2 * (n - 1) * s) / n)).toBeLessThanOrEqual(2 * (n - 1) * c)
      }
      expect(() => parseTrace(JSON.parse(serializeTrace(t, 'json') as string), 'gen')).not.toThrow()
    }
  })
  it('permutation: every rank sends once and receives once, never to itself', () => {
    const t = genPermutation({ ranks: 33, bytes: 1000, seed: 5 })
    expect(new Set(t.ops.map((o) => o.dst)).size).toBe(33)
    expect(t.ops.every((o) => o.src !== o.dst)).toBe(true)
    expect(genPermutation({ ranks: 33, bytes: 1000, seed: 5 })).toEqual(t)
  })
  it('msgpack and JSON carry the same trace', () => {
    const t = genPermutation({ ranks: 4, bytes: 10, seed: 1 })
    expect(unpack(serializeTrace(t, 'msgpack') as Uint8Array)).toEqual(JSON.parse(serializeTrace(t, 'json') as string))
  })
})
