import { describe, expect, it } from 'vitest'
import { genRingAllreduce } from './gen-ring-allreduce.ts'
import { genIncast } from './gen-collectives.ts'
import { mixTraces } from './mix-traces.ts'
import { parseTrace } from './parse-trace.ts'

describe('mixTraces', () => {
  const ring = genRingAllreduce({ ranks: 4, bytes: 4096, channels: 2, placement: [4, 5, 6, 7] })
  const incast = genIncast({ ranks: 4, bytes: 1000 })
  const mix = mixTraces([
    { trace: ring, name: 'ring' },
    { trace: incast, name: 'incast' },
  ])

  it('ranks become hosts, ids and deps are renumbered, channels never shared between jobs', () => {
    expect(mix.ranks).toBe(8)
    expect(mix.ops).toHaveLength(ring.ops.length + incast.ops.length)
    expect(mix.ops.map((o) => o.id)).toEqual(mix.ops.map((_, i) => i))
    const ringOps = mix.ops.filter((o) => o.job === 0)
    expect(ringOps.every((o) => o.src >= 4 && o.dst >= 4)).toBe(true)
    expect(ringOps.map((o) => o.deps)).toEqual(ring.ops.map((o) => o.deps))
    const incastOps = mix.ops.filter((o) => o.job === 1)
    expect(incastOps[0]!.id).toBe(ring.ops.length)
    expect(Math.min(...incastOps.map((o) => o.channel!))).toBe(2)
    expect(mix.jobs).toEqual([
      { name: ring.name, ranks: 4, collective: ring.collective },
      { name: incast.name, ranks: 4 },
    ])
  })

  it('tells two jobs of one name apart by their file names', () => {
    const twice = mixTraces([
      { trace: incast, name: 'a.json' },
      { trace: incast, name: 'b.json' },
    ])
    expect(twice.jobs!.map((j) => j.name)).toEqual([`${incast.name} (a.json)`, `${incast.name} (b.json)`])
  })

  it('counts the hosts of every rank a job declares, not only those its ops use', () => {
    // Ranks 0..15 declared, ops only among 0..3 (as an htsim .cm declaring more nodes than its flows use).
    const sparse = { ...incast, ranks: 16 }
    const m = mixTraces([
      { trace: sparse, name: 'sparse' },
      { trace: incast, name: 'incast' },
    ])
    expect(m.ranks).toBe(16)
    expect(() => parseTrace(JSON.parse(JSON.stringify(m)), 'm.json')).not.toThrow()
  })

  it('refuses a mix of one', () => {
    expect(() => mixTraces([{ trace: ring, name: 'ring' }])).toThrow(/at least two/)
  })
})
