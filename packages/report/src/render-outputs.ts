import type { Report } from './report.ts'
import { renderFlowsCsv, renderLinksCsv, renderSummaryCsv, renderTiersCsv } from './render-csv.ts'
import { renderHpccFct } from './render-hpcc-fct.ts'
import { renderSummary, speedupOf } from './render-summary.ts'
import { renderHtml } from './render-html.ts'
import { jsonText } from './json-chunks.ts'
import type { FileText } from './large-text.ts'

export const OUTPUT_FORMATS = ['json', 'md', 'csv', 'html', 'hpcc-fct'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** Stable JSON: two-space indent, trailing newline. Same report, same bytes. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

/**
 * What `--json` prints and `compare.json` holds: the report; baseline,
 * candidate and speedup; or with more profiles, baseline, candidates and speedups.
 */
export function reportDocument(reports: readonly Report[]): unknown {
  const [baseline, ...rest] = reports
  if (rest.length === 0) return baseline
  if (rest.length === 1) return { baseline, candidate: rest[0], speedup: speedupOf(baseline!, rest[0]!) }
  return { baseline, candidates: rest, speedups: rest.map((r) => speedupOf(baseline!, r)) }
}

/** File name prefix of run i: none alone; baseline. and candidate. for a pair; candidate1., candidate2., ... beyond. */
function prefixOf(i: number, runs: number): string {
  if (runs === 1) return ''
  if (i === 0) return 'baseline.'
  return runs === 2 ? 'candidate.' : `candidate${i}.`
}

/**
 * Every file a run writes with `--out`, by name, from its reports alone (so
 * `aifab report` re-renders a saved run byte for byte): per run
 * `report.json`, `flows.csv`, `links.csv`, `tiers.csv`, `fct.txt`, prefixed
 * in a comparison (see prefixOf); once, `summary.md`,
 * `summary.csv`, `report.html` and for a comparison `compare.json`.
 */
export function renderOutputs(reports: readonly Report[], formats: readonly OutputFormat[]): Record<string, FileText> {
  const compare = reports.length > 1
  const prefix = (i: number) => prefixOf(i, reports.length)
  const files: Record<string, FileText> = {}
  if (formats.includes('json')) {
    // In pieces: a run of two million flows passes the longest string V8 can make.
    reports.forEach((r, i) => (files[`${prefix(i)}report.json`] = jsonText(r)))
    if (compare) files['compare.json'] = jsonText(reportDocument(reports))
  }
  if (formats.includes('md')) files['summary.md'] = renderSummary(reports)
  if (formats.includes('csv')) {
    files['summary.csv'] = renderSummaryCsv(reports)
    reports.forEach((r, i) => {
      files[`${prefix(i)}flows.csv`] = renderFlowsCsv(r)
      files[`${prefix(i)}links.csv`] = renderLinksCsv(r)
      files[`${prefix(i)}tiers.csv`] = renderTiersCsv(r)
    })
  }
  if (formats.includes('html')) files['report.html'] = renderHtml(reports)
  if (formats.includes('hpcc-fct')) reports.forEach((r, i) => (files[`${prefix(i)}fct.txt`] = renderHpccFct(r)))
  return files
}
