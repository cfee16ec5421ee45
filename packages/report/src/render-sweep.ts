import { csvTable } from './render-csv.ts'
import { toJson } from './render-outputs.ts'
import { renderSweepHtml } from './render-sweep-html.ts'
import { fmtTime, markdownTable } from './render-summary.ts'
import type { SweepAxis, SweepDocument, SweepPoint, SweepStat } from './sweep-result.ts'

const pct = (x: number) => `${(100 * x).toFixed(1)}%`
const orDash = <T>(x: T | null, f: (x: T) => string) => (x === null ? '-' : f(x))
const pm = (s: SweepStat, f: (x: number) => string) => (s === null ? '-' : s.halfWidth === null ? f(s.mean) : `${f(s.mean)} +- ${f(s.halfWidth)}`)

/** The axes a table shows as columns: those with two or more values, and the profile always. */
const shownAxes = (axes: readonly SweepAxis[]) => axes.map((a, i) => ({ a, i })).filter(({ a }) => a.values.length > 1 || a.name === 'profile')

/** Why a point needs a look, or null: it could not run, its run stopped, or an invariant broke. */
function problemOf(p: SweepPoint): string | null {
  if (p.outcome === 'error') return `error: ${p.error}`
  if (p.violation !== null) return `invariant violated: ${p.violation}`
  if (p.outcome === 'cc-error') return `congestion control stopped the run: ${p.error}`
  if (p.outcome !== 'complete') return `stopped (${p.outcome}) before every op completed`
  return null
}

/** `sweep.md`: a row per point, then per combination of the other axes the mean and 95% interval over seeds. */
export function renderSweepSummary(doc: SweepDocument): string {
  const axes = shownAxes(doc.axes)
  const varying = doc.axes.filter((a) => a.values.length > 1)
  const lines = [
    `# aifab sweep: ${doc.name}`,
    '',
    `${doc.points} point${doc.points === 1 ? '' : 's'}${varying.length ? `: ${varying.map((a) => `${a.name} (${a.values.length})`).join(' x ')}` : ''}` +
      `${doc.shard === null ? '' : `; shard ${doc.shard.index}/${doc.shard.count} ran ${doc.results.length} of them`}. Spec sha256 ${doc.specSha256.slice(0, 16)}.`,
    `Each point's own reports are in points/<point>/ (${doc.formats.join(', ')}).`,
    '',
    ...markdownTable(
      ['point', ...axes.map(({ a }) => a.name), 'outcome', 'completion time', 'efficiency, payload', 'busbw (Gb/s)', 'drops', 'retransmitted', 'events', 'packet-hops'],
      doc.results.map((p) => [
        p.id,
        ...axes.map(({ a, i }) => a.labels[p.at[i]!]!),
        p.outcome,
        orDash(p.completionTimePs, fmtTime),
        orDash(p.efficiency, pct),
        orDash(p.busbwGbps, (x) => x.toFixed(1)),
        orDash(p.drops, String),
        orDash(p.retransmittedPackets, String),
        orDash(p.events, String),
        orDash(p.packetHops, String),
      ]),
    ),
  ]
  if (doc.overSeeds !== null) {
    const groupAxes = axes.filter(({ a }) => a.name !== 'seed')
    const seeds = doc.axes.find((a) => a.name === 'seed')!
    lines.push(
      '',
      `## Over ${seeds.values.length} seeds (${seeds.labels.join(', ')})`,
      '',
      'Mean +- half-width of the 95% confidence interval (Student t), over the runs that completed.',
      '',
      ...markdownTable(
        [...groupAxes.map(({ a }) => a.name), 'complete runs', 'completion time', 'efficiency, payload', 'busbw (Gb/s)'],
        doc.overSeeds.map((g) => [
          ...groupAxes.map(({ a, i }) => a.labels[g.at[i]!]!),
          `${g.complete} / ${g.runs}`,
          pm(g.completionTimePs, fmtTime),
          pm(g.efficiency, pct),
          pm(g.busbwGbps, (x) => x.toFixed(1)),
        ]),
      ),
    )
  }
  const problems = doc.results.map((p) => ({ p, why: problemOf(p) })).filter((x) => x.why !== null)
  if (problems.length > 0) lines.push('', '## Points that need a look', '', ...problems.map(({ p, why }) => `- ${p.id} (${p.label}): ${why}`))
  return lines.join('\n') + '\n'
}

/** `sweep.csv`: a row per point; a column per axis (a number where the axis is numeric: bytes, not 1MiB; else the label: roce, not its path), then the figures, units in the names. */
export function renderSweepCsv(doc: SweepDocument): string {
  const cell = (a: SweepAxis, vi: number) => (a.numbers !== null ? a.numbers[vi] : a.labels[vi])
  return csvTable(
    [
      'point', ...doc.axes.map((a) => a.name), 'outcome', 'completion_time_us', 'algbw_gbps', 'busbw_gbps', 'efficiency_payload', 'efficiency_wire',
      'drops', 'trims', 'retransmitted_packets', 'timeouts', 'ecn_marks', 'pfc_pauses', 'packet_hops', 'events', 'error', 'violation',
    ],
    doc.results.map((p) => [
      p.id, ...doc.axes.map((a, i) => cell(a, p.at[i]!)), p.outcome, p.completionTimePs === null ? null : p.completionTimePs / 1e6, p.algbwGbps, p.busbwGbps, p.efficiency, p.efficiencyWire,
      p.drops, p.trims, p.retransmittedPackets, p.timeouts, p.ecnMarks, p.pfcPauses, p.packetHops, p.events, p.error, p.violation,
    ]),
  )
}

/** Every summary file of a sweep, by name, from its document alone (so `aifab merge` writes the same bytes the unsharded run did). */
export function renderSweepOutputs(doc: SweepDocument): Record<string, string> {
  const md = renderSweepSummary(doc)
  return { 'sweep.json': toJson(doc), 'sweep.csv': renderSweepCsv(doc), 'sweep.md': md, 'sweep.html': renderSweepHtml(doc, md) }
}
