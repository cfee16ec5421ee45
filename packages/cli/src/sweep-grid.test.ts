import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { expandGrid, parseShard, pointId, shardPoints } from './sweep-grid.ts'
import { parseSweepSpec } from './sweep-spec.ts'

const root = new URL('../../../', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'aifab-sweep-grid-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const topo = join(root, 'configs/topologies/leaf-spine-8x8x8-400g.json')
const roce = join(root, 'configs/profiles/roce.json')
const aie = join(root, 'configs/profiles/ai-ethernet.json')

function grid(spec: Record<string, unknown>) {
  const f = join(dir, 'sweep.json')
  writeFileSync(f, JSON.stringify({ format: 'aifab.sweep', version: 1, topology: topo, profiles: [roce, aie], ...spec }))
  return expandGrid(parseSweepSpec(f))
}

describe('sweep grid', () => {
  it('a fault axis may hold "no fault" as an empty list', () => {
    const g = grid({ gen: { kind: 'ring-allreduce', ranks: 8, bytes: '1MiB' }, overrides: { fault: [[], 'down:leaf0-spine0:10'] } })
    expect(g.axes.find((a) => a.name === 'fault')!.labels).toEqual(['none', 'down:leaf0-spine0:10'])
    expect(g.points.slice(0, 2).map((p) => p.overrides.fault)).toEqual([[], ['down:leaf0-spine0:10']])
  })
  it('nests gen lists in the file order, as it does override lists', () => {
    const g = grid({ gen: { kind: 'ring-allreduce', chunk: ['64KiB', '256KiB'], ranks: 8, bytes: ['1MiB', '2MiB'] }, overrides: { 'ack-every': [1, 2], 'window-bdp': [1, 2] } })
    expect(g.axes.map((a) => a.name)).toEqual(['chunk', 'bytes', 'profile', 'ack-every', 'window-bdp', 'seed'])
  })
  it('nests the axes in a fixed order: gen lists, profiles, override lists in file order, seeds innermost', () => {
    const g = grid({ gen: { kind: 'ring-allreduce', ranks: 8, bytes: ['256KiB', '1MiB'], placement: 'interleave' }, overrides: { 'window-bdp': [1, 2], lb: 'spray' }, seeds: [7, 9] })
    expect(g.axes.map((a) => [a.name, a.labels])).toEqual([
      ['bytes', ['256KiB', '1MiB']],
      ['profile', ['roce', 'ai-ethernet']],
      ['window-bdp', ['1', '2']],
      ['seed', ['7', '9']],
    ])
    expect(g.axes[0]!.numbers).toEqual([262144, 1048576])
    expect(g.points).toHaveLength(16)
    expect(g.points.map((p) => p.id)).toEqual(Array.from({ length: 16 }, (_, i) => `p${String(i).padStart(4, '0')}`))
    // Seeds fastest, then window-bdp, then profile, then bytes.
    expect(g.points.slice(0, 5).map((p) => p.label)).toEqual([
      'bytes=256KiB roce window-bdp=1 seed=7',
      'bytes=256KiB roce window-bdp=1 seed=9',
      'bytes=256KiB roce window-bdp=2 seed=7',
      'bytes=256KiB roce window-bdp=2 seed=9',
      'bytes=256KiB ai-ethernet window-bdp=1 seed=7',
    ])
    const p = g.points[13]!
    expect(p.at).toEqual([1, 1, 0, 1])
    expect(p.seed).toBe(9)
    expect(p.profile.endsWith('ai-ethernet.json')).toBe(true)
    expect(p.overrides).toEqual({ 'window-bdp': 1, lb: 'spray' })
    expect(p.trace.gen).toMatchObject({ kind: 'ring-allreduce', ranks: 8, bytes: '1MiB', placement: 'interleave', algorithm: 'ring', channels: 1, seed: 1 })
    expect(p.trace.file).toBe('gen:kind=ring-allreduce,ranks=8,bytes=1MiB,placement=interleave')
  })

  it('a label shows the profile always and only the axes that vary; a trace list is an axis', () => {
    const one = grid({ trace: join(root, 'traces/incast-16to1-1mib.json'), profiles: [aie] })
    expect(one.points.map((p) => p.label)).toEqual(['ai-ethernet'])
    expect(one.axes.map((a) => a.name)).toEqual(['trace', 'profile', 'seed'])
    const two = grid({ traces: [join(root, 'traces/incast-16to1-1mib.json'), join(root, 'traces/ring-allreduce-16r-16mib.json')], seeds: '1..2' })
    expect(two.points.map((p) => p.label).slice(0, 3)).toEqual(['trace=incast-16to1-1mib roce seed=1', 'trace=incast-16to1-1mib roce seed=2', 'trace=incast-16to1-1mib ai-ethernet seed=1'])
    expect(two.points[7]!.traceField).toBe('traces[1]')
  })

  it('--shard i/N deals points round-robin: the shards cover the grid exactly once', () => {
    const g = grid({ gen: { kind: 'incast', ranks: 4, bytes: ['1KiB', '2KiB', '4KiB'] }, seeds: '1..3' })
    expect(g.points).toHaveLength(18)
    const shards = [1, 2, 3, 4].map((i) => shardPoints(g.points, { index: i, count: 4 }).map((p) => p.index))
    expect(shards[1]).toEqual([1, 5, 9, 13, 17])
    expect(shards.flat().sort((a, b) => a - b)).toEqual(g.points.map((p) => p.index))
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/2/3']) expect(() => parseShard(bad), bad).toThrow(/^--shard: expected i\/N with 1 <= i <= N/)
    expect(pointId(12345, 20000)).toBe('p12345')
    expect(pointId(7, 20000)).toBe('p00007')
  })
})
