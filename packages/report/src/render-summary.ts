import { formatByteSize } from '@aifab/core'
import type { Report } from './report.ts'
import { topologyShape } from '@aifab/topology'

/** The speedup of `candidate` over `baseline`: baseline completion time / candidate completion time. */
export function speedupOf(baseline: Report, candidate: Report): number | null {
  const b = baseline.summary.completionTimePs
  const c = candidate.summary.completionTimePs
  return b !== null && c !== null && c > 0 ? b / c : null
}

/**
 * A Markdown table with one column per report: readable in a terminal and on
 * GitHub, so stdout and summary.md are the same text.
 */
export function renderSummary(reports: readonly Report[]): string {
  const first = reports[0]!
  const t = first.trace
  const topo = first.topology
  const what = first.jobs.length
    ? `${first.jobs.length} jobs, ${t.ops} ops, ${t.ranks} ranks`
    : t.collective
    ? `${t.collective.kind}${t.collective.algorithm ? ` (${t.collective.algorithm})` : ''} of ${formatByteSize(t.collective.bytes)}, ${t.ranks} ranks`
    : `${t.ops} flows, ${t.ranks} ranks`
  const lines: string[] = []
  lines.push(`# aifab: ${t.name}`)
  lines.push('')
  lines.push(
    `${what}; ${topologyShape(topo).label}; seed ${first.seed}`,
  )
  lines.push('')
  const head = ['', ...reports.map((r) => r.profile.name)]
  const rows: string[][] = []
  const row = (label: string, f: (r: Report) => string) => rows.push([label, ...reports.map(f)])
  const s = (r: Report) => r.summary
  row('outcome', (r) => r.outcome)
  row('completion time', (r) => {
    const t = s(r).completionTimePs
    return t === null ? 'incomplete' : fmtTime(t)
  })
  if (t.collective) {
    row('algbw (Gb/s)', (r) => fmtNum(s(r).algbwGbps))
    row('busbw (Gb/s)', (r) => fmtNum(s(r).busbwGbps))
  }
  row('efficiency, payload', (r) => fmtPct(s(r).efficiency))
  row('efficiency, wire', (r) => fmtPct(s(r).efficiencyWire))
  row('flow goodput mean / job', (r) => `${fmtPct(s(r).goodputMeanFraction)} / ${fmtPct(s(r).goodputJobFraction)}`)
  row('FCT mean / p50 / p99 / max', (r) => (s(r).fct === null ? '-' : [s(r).fct!.meanPs, s(r).fct!.p50Ps, s(r).fct!.p99Ps, s(r).fct!.maxPs].map(fmtTime).join(' / ')))
  row('slowdown mean / p99', (r) => (s(r).fct === null ? '-' : `${s(r).fct!.slowdownMean.toFixed(2)} / ${s(r).fct!.slowdownP99.toFixed(2)}`))
  // A mix: each job's own time, and its busbw or mean flow goodput.
  first.jobs.forEach((job, j) => {
    row(`job ${job.name}`, (r) => {
      const x = r.jobs[j]!
      if (x.completionTimePs === null) return 'incomplete'
      return `${fmtTime(x.completionTimePs)}, ${x.busbwGbps !== null ? `busbw ${fmtNum(x.busbwGbps)} Gb/s` : `goodput ${fmtPct(x.goodputMeanFraction)}`}`
    })
  })
  row('drops', (r) => String(s(r).drops))
  if (reports.some((r) => r.profile.switch.trimming)) row('trimmed packets', (r) => (r.profile.switch.trimming ? String(s(r).trims) : 'off'))
  row('retransmitted packets', (r) => String(s(r).retransmittedPackets))
  row('NAKs sent / timeouts', (r) => `${s(r).naksSent} / ${s(r).timeouts}`)
  if (reports.some((r) => s(r).failedQueuePairs > 0)) row('queue pairs given up', (r) => String(s(r).failedQueuePairs))
  row('receiver discards', (r) => String(s(r).rxDiscards))
  row('ECN marks', (r) => String(s(r).ecnMarks))
  if (reports.some((r) => s(r).cnpsSent > 0)) row('CNPs', (r) => String(s(r).cnpsSent))
  if (reports.some((r) => r.cc.name !== 'none')) row('congestion control', (r) => r.cc.name)
  if (reports.some((r) => r.profile.switch.pfc !== null)) {
    row('PFC pauses / paused port time', (r) => (r.profile.switch.pfc === null ? 'off' : `${s(r).pfcPauses} / ${fmtTime(s(r).pfcPausedPs)}`))
  }
  row('reorder window peak (pkts)', (r) => String(s(r).reorderWindowPeak))
  if (reports.some((r) => s(r).reorderDistance.length > 0)) {
    row('reorder distance (pkts: count)', (r) => s(r).reorderDistance.map((d) => `${d.fromPackets === d.toPackets ? d.fromPackets : `${d.fromPackets}-${d.toPackets ?? ''}`}: ${d.packets}`).join(', ') || '-')
  }
  row('leaf uplink util mean / max', (r) => {
    const u = r.tiers.find((x) => x.tier === 'leaf-up')
    return u ? `${fmtPct(u.utilizationMean)} / ${fmtPct(u.utilizationMax)}` : '-'
  })
  row('paths per queue pair mean / max', (r) => `${r.paths.meanPerQueuePair.toFixed(1)} / ${r.paths.maxPerQueuePair}`)
  row('packet-hops', (r) => String(s(r).packetHops))
  // Where the sending hosts' link capacity went; the seven shares add up to 100%.
  const lb = (r: Report) => r.lossBreakdown
  if (reports.some((r) => lb(r) !== null)) {
    const pct = (r: Report, f: (x: NonNullable<Report['lossBreakdown']>) => number[]) => (lb(r) === null ? '-' : f(lb(r)!).map(fmtPct).join(' / '))
    row('host links: payload / headers / retx / ACKs', (r) => pct(r, (x) => [x.payload, x.headers, x.retransmissions, x.acks]))
    row('host links: PFC paused / latency / waiting', (r) => pct(r, (x) => [x.pfcPaused, x.latency, x.waiting]))
  }
  const model = first.model
  if (model) {
    const high = model.completionTimeHighPs
    row(`model: ${model.name}`, () => `${fmtTime(model.completionTimePs)}${high === undefined ? '' : ` .. ${fmtTime(high)}`}, ${fmtPct(model.efficiency)}`)
  }
  lines.push(...markdownTable(head, rows))
  lines.push(...ncclTable(reports))
  if (reports.length > 1) {
    lines.push('')
    for (const r of reports.slice(1)) {
      const sp = speedupOf(first, r)
      if (sp === null) lines.push(`No speedup: not every run completed.`)
      else if (first.trace.collective)
        lines.push(
          `${r.profile.name} reaches ${fmtPct(r.summary.efficiency)} of line rate, ${sp.toFixed(2)}x ${first.profile.name} (${fmtPct(first.summary.efficiency)}), on this trace.`,
        )
      else
        // Without a collective, efficiency is the mean flow's goodput, while the speedup is the whole trace's time: the two can disagree (an incast's early finishers).
        lines.push(
          `${r.profile.name}: flows average ${fmtPct(r.summary.efficiency)} of line rate (${first.profile.name} ${fmtPct(first.summary.efficiency)}); the trace completes ${sp.toFixed(2)}x as fast as on ${first.profile.name}.`,
        )
    }
  }
  const incomplete = reports.filter((r) => r.outcome !== 'complete')
  for (const r of incomplete) {
    lines.push('')
    lines.push(`${r.profile.name}: ${r.incompleteOps.length} ops did not complete (${r.outcome}); first: op ${r.incompleteOps[0]?.id}: ${r.incompleteOps[0]?.reason}`)
  }
  return lines.join('\n') + '\n'
}

/** A Markdown table, columns padded; the first left-aligned, the rest right-aligned. */
export function markdownTable(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`
  return [fmt(head), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...rows.map(fmt)]
}

export function fmtTime(ps: number): string {
  if (ps >= 1e12) return `${(ps / 1e12).toFixed(3)} s`
  if (ps >= 1e9) return `${(ps / 1e9).toFixed(3)} ms`
  if (ps >= 1e6) return `${(ps / 1e6).toFixed(2)} us`
  return `${(ps / 1e3).toFixed(1)} ns`
}

function fmtPct(x: number | null): string {
  return x === null ? '-' : `${(x * 100).toFixed(1)}%`
}

function fmtNum(x: number | null): string {
  return x === null ? '-' : x.toFixed(1)
}

/**
 * The nccl-tests view of the trace's collective: size in bytes, count of
 * 4-byte elements, time, algbw and busbw in GB/s (nccl-tests' units), one row per run.
 */
function ncclTable(reports: readonly Report[]): string[] {
  const gbytes = (gbps: number | null) => (gbps === null ? '-' : (gbps / 8).toFixed(2))
  const rows: string[][] = []
  for (const r of reports) {
    const c = r.trace.collective
    if (c && r.summary.completionTimePs !== null) {
      rows.push([r.profile.name, c.kind, String(c.bytes), String(Math.floor(c.bytes / 4)), (r.summary.completionTimePs / 1e6).toFixed(1), gbytes(r.summary.algbwGbps), gbytes(r.summary.busbwGbps)])
    }
  }
  return rows.length === 0 ? [] : ['', ...markdownTable(['nccl-tests view', 'collective', 'size (B)', 'count (float)', 'time (us)', 'algbw (GB/s)', 'busbw (GB/s)'], rows)]
}
