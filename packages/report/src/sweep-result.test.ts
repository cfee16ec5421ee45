import { describe, expect, it } from 'vitest'
import { renderSweepCsv, renderSweepSummary } from './render-sweep.ts'
import { meanCi95 } from './seed-stats.ts'
import { sweepChart } from './sweep-chart.ts'
import { failedFigures, sweepDocument, sweepLabel, type SweepAxis, type SweepPoint } from './sweep-result.ts'

const axes: SweepAxis[] = [
  { name: 'bytes', field: 'gen.bytes', values: ['1MiB', '4MiB'], labels: ['1MiB', '4MiB'], numbers: [1048576, 4194304] },
  { name: 'profile', field: 'profiles', values: ['a/roce.json', 'a/ai.json'], labels: ['roce', 'ai'], numbers: null },
  { name: 'seed', field: 'seeds', values: [1, 2, 3], labels: ['1', '2', '3'], numbers: [1, 2, 3] },
]

/** A point of the 2 x 2 x 3 grid whose efficiency is given (null: it could not run). */
function point(index: number, efficiency: number | null): SweepPoint {
  const at = [Math.floor(index / 6), Math.floor(index / 3) % 2, index % 3]
  const f = failedFigures('boom')
  const figures = efficiency === null ? f : { ...f, outcome: 'complete', error: null, efficiency, completionTimePs: 1e6 / efficiency, busbwGbps: 400 * efficiency }
  return { index, id: `p${String(index).padStart(4, '0')}`, label: sweepLabel(axes, at), at, ...figures }
}

const effs = [0.3, 0.4, 0.5, 0.8, 0.82, 0.84, 0.5, 0.6, null, 0.9, 0.91, 0.92]
const doc = (results: SweepPoint[]) => sweepDocument({ name: 't', specSha256: 'ab'.repeat(32), spec: {}, inputs: [], formats: ['json'], axes, points: 12, shard: null, results })

describe('sweep results', () => {
  it('labels, and the statistics over seeds per combination of the other axes', () => {
    expect(sweepLabel(axes, [1, 0, 2])).toBe('bytes=4MiB roce seed=3')
    expect(sweepLabel(axes, [1, 0, -1])).toBe('bytes=4MiB roce')
    const d = doc(effs.map((e, i) => point(i, e)).reverse())
    expect(d.results.map((p) => p.index)).toEqual(effs.map((_, i) => i))
    expect(d.overSeeds!.map((g) => [g.label, g.runs, g.complete])).toEqual([
      ['bytes=1MiB roce', 3, 3],
      ['bytes=1MiB ai', 3, 3],
      ['bytes=4MiB roce', 3, 2],
      ['bytes=4MiB ai', 3, 3],
    ])
    expect(d.overSeeds![0]!.efficiency).toEqual(meanCi95([0.3, 0.4, 0.5]))
    expect(d.overSeeds![2]!.efficiency).toEqual(meanCi95([0.5, 0.6]))
    const md = renderSweepSummary(d)
    expect(md).toMatch(/^12 points: bytes \(2\) x profile \(2\) x seed \(3\)\. Spec sha256 abababababababab\.$/m)
    expect(md).toMatch(/^\| 4MiB +\| +roce \| +2 \/ 3 \| 1\.83 us \+- 2\.12 us \| +55\.0% \+- 63\.5% \|/m)
    expect(md).toMatch(/^- p0008 \(bytes=4MiB roce seed=3\): error: boom$/m)
    const csv = renderSweepCsv(d).split('\n')
    expect(csv[0]).toBe('point,bytes,profile,seed,outcome,completion_time_us,algbw_gbps,busbw_gbps,efficiency_payload,efficiency_wire,drops,trims,retransmitted_packets,timeouts,ecn_marks,pfc_pauses,packet_hops,events,error,violation')
    expect(csv[9]).toBe('p0008,4194304,roce,3,error,,,,,,,,,,,,,,boom,')
  })

  it('the chart: efficiency against the first varying axis other than profile and seed, a line per profile, mean over seeds', () => {
    const c = sweepChart(doc(effs.map((e, i) => point(i, e))))
    expect(c.title).toBe('Efficiency vs bytes (mean over 3 seeds)')
    expect(c.series).toEqual(['roce', 'ai'])
    expect(c.xTicks).toBeNull()
    expect(c.xLog).toBe(false)
    expect(c.xBytes).toBe(true)
    expect(c.data[0]).toEqual([1048576, 4194304])
    expect(c.data[1]![0]).toBeCloseTo(40, 9)
    expect(c.data[1]![1]).toBeCloseTo(55, 9)
    expect(c.data[2]![1]).toBeCloseTo(91, 9)
    // Seeds alone vary besides the profile: efficiency against the seed, no averaging.
    const bySeed = sweepChart({ ...doc([]), axes: [{ ...axes[0]!, values: ['1MiB'], labels: ['1MiB'], numbers: [1048576] }, axes[1]!, axes[2]!], results: [0, 1, 2].map((i) => point(i, effs[i]!)) })
    expect(bySeed.title).toBe('Efficiency vs seed')
    expect(bySeed.data).toEqual([[1, 2, 3], [30, 40, 50]])
  })
})
