import { aligned } from './chart-data.ts'
import { sweepLabel, type SweepDocument } from './sweep-result.ts'

/**
 * The sweep page's chart in uPlot's aligned form: efficiency (payload, % of
 * line rate) against the swept parameter, one series per profile (and per
 * value of any other axis), each y the mean over seeds of the complete runs.
 */
export interface SweepChart {
  title: string
  xLabel: string
  yLabel: string
  /** The text of each x position when the axis is not numeric (x then holds 0, 1, ...); null for a numeric axis. */
  xTicks: string[] | null
  /** A log2 x scale, for positive numeric values spanning 16x or more (message sizes). */
  xLog: boolean
  /** The x values are sizes in bytes (ticks read 256 KiB, 4 MiB). */
  xBytes: boolean
  series: string[]
  data: (number | null)[][]
}

/**
 * The x axis is the first axis with two or more values other than profile
 * and seed (a message size, an override, a trace); else the seed; else the
 * profile. Seeds, when not on x, are averaged.
 */
export function sweepChart(doc: SweepDocument): SweepChart {
  const axes = doc.axes
  const varying = axes.map((a, i) => ({ a, i })).filter(({ a }) => a.values.length > 1)
  const pick = varying.find(({ a }) => a.name !== 'profile' && a.name !== 'seed') ?? varying.find(({ a }) => a.name === 'seed') ?? { a: axes.find((a) => a.name === 'profile')!, i: axes.findIndex((a) => a.name === 'profile') }
  const xAxis = pick.a
  const seedAxis = axes.findIndex((a) => a.name === 'seed')
  const averaged = pick.i !== seedAxis && seedAxis >= 0 && axes[seedAxis]!.values.length > 1
  const xOf = (vi: number) => (xAxis.numbers !== null ? xAxis.numbers[vi]! : vi)

  // One series per combination of the axes that are neither x nor seed.
  const seriesKey = (at: readonly number[]) => at.map((v, i) => (i === pick.i || i === seedAxis ? -1 : v))
  const cells = new Map<string, { at: number[]; byX: Map<number, number[]> }>()
  for (const p of doc.results) {
    const at = seriesKey(p.at)
    const key = at.join(',')
    const s = cells.get(key) ?? { at, byX: new Map<number, number[]>() }
    cells.set(key, s)
    const ys = s.byX.get(p.at[pick.i]!) ?? []
    s.byX.set(p.at[pick.i]!, ys)
    if (p.outcome === 'complete' && p.efficiency !== null) ys.push(p.efficiency)
  }
  const series = [...cells.values()].map((s) => {
    const vis = [...s.byX.keys()].sort((a, b) => a - b)
    return {
      name: sweepLabel(axes, s.at) || 'efficiency',
      x: vis.map(xOf),
      y: vis.map((vi) => {
        const ys = s.byX.get(vi)!
        return ys.length === 0 ? null : (100 * ys.reduce((a, b) => a + b, 0)) / ys.length
      }),
    }
  })
  // aligned() wants numbers; a run with no complete seed leaves a gap (null) at its x.
  const data = aligned(series.map((s) => ({ x: s.x, y: s.y.map((v) => (v === null ? NaN : v)) }))).map((col, k) => (k === 0 ? col : col.map((v) => (v === null || Number.isNaN(v) ? null : v))))
  const nums = xAxis.numbers
  const xLog = nums !== null && nums.every((n) => n > 0) && Math.max(...nums) / Math.min(...nums) >= 16
  const seeds = seedAxis >= 0 ? axes[seedAxis]!.values.length : 1
  return {
    title: `Efficiency vs ${xAxis.name}${averaged ? ` (mean over ${seeds} seeds)` : ''}`,
    xLabel: xAxis.name,
    yLabel: 'efficiency, payload (% of line rate)',
    xTicks: nums === null ? xAxis.labels : null,
    xLog,
    xBytes: nums !== null && (xAxis.name === 'bytes' || xAxis.name === 'chunk'),
    series: series.map((s) => s.name),
    data,
  }
}
