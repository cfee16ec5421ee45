import type { Report } from './report.ts'

/**
 * The data of one chart of the HTML report, in uPlot's aligned form: `data[0]`
 * the x values, then one array per series (null where a series has no point
 * at that x). A heatmap holds its cells instead: `cells[link][interval]`.
 */
export interface ChartData {
  id: string
  title: string
  xLabel: string
  yLabel: string
  series: string[]
  data: (number | null)[][]
  heatmap?: { rows: string[]; x: number[]; cells: number[][] }
}

/** Puts several (x, y) series on one sorted x axis, null where a series has no point. */
export function aligned(series: { x: number[]; y: number[] }[]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b)
  const at = new Map(xs.map((x, i) => [x, i]))
  return [
    xs,
    ...series.map((s) => {
      const y: (number | null)[] = xs.map(() => null)
      s.x.forEach((x, i) => (y[at.get(x)!] = s.y[i]!))
      return y
    }),
  ]
}

/** Rate of a cumulative counter between consecutive samples, at each interval's end (x in us). */
function slope(tPs: number[], counter: number[], scale: number): { x: number[]; y: number[] } {
  const x: number[] = []
  const y: number[] = []
  for (let i = 1; i < tPs.length; i++) {
    const dt = tPs[i]! - tPs[i - 1]!
    if (dt <= 0) continue
    x.push(tPs[i]! / 1e6)
    y.push(((counter[i]! - counter[i - 1]!) * scale) / dt)
  }
  return { x, y }
}

const label = (r: Report, many: boolean) => (many ? `${r.profile.name}: ` : '')

/**
 * Every chart of the HTML report, computed from the reports alone (the test
 * recomputes them from the report JSON and compares with what each chart in
 * the page holds): throughput over time, flow completion CDF, uplink
 * utilization heatmap, busiest queues, reorder window occupancy, and
 * congestion-control rates. Comparisons overlay their runs where the axes agree.
 */
export function chartData(reports: readonly Report[]): ChartData[] {
  const many = reports.length > 1
  const charts: ChartData[] = []
  const sampled = reports.filter((r) => r.timeSeries !== null)

  if (sampled.length > 0) {
    // Throughput: payload placed at all hosts per interval (Gb/s).
    const tput = sampled.map((r) => {
      const f = r.timeSeries!.fabric
      const total = f.tPs.map((_, i) => f.hostDeliveredBytes.reduce((s, h) => s + h[i]!, 0))
      return slope(f.tPs, total, 8e12 / 1e9)
    })
    charts.push({ id: 'throughput', title: 'Throughput over time (payload delivered, all hosts)', xLabel: 'time (us)', yLabel: 'Gb/s', series: sampled.map((r) => `${r.profile.name}`), data: aligned(tput) })
  }

  const cdf = reports.map((r) => {
    const fcts = r.flows.filter((f) => f.fctPs > 0).map((f) => f.fctPs / 1e6).sort((a, b) => a - b)
    return { x: fcts, y: fcts.map((_, i) => (i + 1) / fcts.length) }
  })
  // Equal FCTs share an x: keep the highest fraction (the CDF's value there).
  for (const c of cdf) {
    const keep = c.x.map((x, i) => i === c.x.length - 1 || c.x[i + 1] !== x)
    c.x = c.x.filter((_, i) => keep[i])
    c.y = c.y.filter((_, i) => keep[i])
  }
  charts.push({ id: 'fct-cdf', title: 'Flow completion times (CDF)', xLabel: 'FCT (us)', yLabel: 'fraction of flows', series: reports.map((r) => r.profile.name), data: aligned(cdf) })

  for (const r of sampled) {
    const f = r.timeSeries!.fabric
    const id = (s: string) => (many ? `${s}-${reports.indexOf(r)}` : s)
    if (f.uplinks.length > 0) {
      const util = f.uplinks.map((u) => slope(f.tPs, u.bits, 1e12 / u.rateBps))
      charts.push({
        id: id('uplink-heatmap'),
        title: `${label(r, many)}Uplink utilization (links x time)`,
        xLabel: 'time (us)',
        yLabel: 'uplink',
        series: [],
        data: [util[0]!.x],
        heatmap: { rows: f.uplinks.map((u) => u.name), x: util[0]!.x, cells: util.map((u) => u.y) },
      })
    }
    if (f.queues.length > 0) {
      const t = f.tPs.map((p) => p / 1e6)
      charts.push({ id: id('queues'), title: `${label(r, many)}Queue depth of the busiest ports`, xLabel: 'time (us)', yLabel: 'bytes', series: f.queues.map((q) => q.name), data: [t, ...f.queues.map((q) => q.bytes)] })
    }
    const flows = r.timeSeries!.flows.slice(0, 8)
    if (flows.length > 0) {
      charts.push({
        id: id('cc-rates'),
        title: `${label(r, many)}Congestion control: sending rate of the first ${flows.length} flows`,
        xLabel: 'time (us)',
        yLabel: 'Gb/s',
        series: flows.map((s) => `qp ${s.qp} (${s.srcHost} -> ${s.dstHost})`),
        data: aligned(flows.map((s) => ({ x: s.tPs.map((p) => p / 1e6), y: s.rateBps.map((b) => b / 1e9) }))),
      })
    }
  }

  if (sampled.length > 0) {
    const held = sampled.map((r) => ({ x: r.timeSeries!.fabric.tPs.map((p) => p / 1e6), y: r.timeSeries!.fabric.reorderHeld }))
    charts.push({ id: 'reorder', title: 'Reorder windows: packets held out of order (all receivers)', xLabel: 'time (us)', yLabel: 'packets', series: sampled.map((r) => r.profile.name), data: aligned(held) })
  }
  return charts
}
