import { readFileSync, statSync } from 'node:fs'
import { InputError } from '@aifab/core'
import { parseJsonBytes, REPORT_FORMAT, REPORT_VERSION, renderOutputs, renderSummary, type OutputFormat, type Report } from '@aifab/report'
import { writeOutputs } from './output.ts'

/**
 * `aifab report <report.json|compare.json> [--format ...] [--out DIR]`:
 * renders a saved run again without simulating; the files are byte for byte
 * those the run wrote. Without --out, prints the summary.
 */
export function reportCommand(file: string, formats: readonly OutputFormat[], out: string | undefined, quiet: boolean): void {
  const reports = readReports(file)
  if (out === undefined) {
    process.stdout.write(renderSummary(reports))
    return
  }
  const written = writeOutputs(out, renderOutputs(reports, formats))
  if (!quiet) process.stderr.write(`aifab: wrote ${written.join(', ')}\n`)
}

/** The runs a saved report.json (one) or compare.json (a baseline and a candidate, or candidates) holds. */
export function readReports(file: string): Report[] {
  let doc: unknown
  try {
    // As bytes: a report written in pieces can pass the longest string Node makes, which JSON.parse would need.
    doc = parseJsonBytes(readFileSync(file))
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    if (err.code === 'ERR_FS_FILE_TOO_LARGE') throw new InputError(file, '', `too large to read back (${(statSync(file).size / 2 ** 30).toFixed(1)} GiB; Node reads files up to 2 GiB whole): use the CSV files the run wrote, or run it again`)
    throw new InputError(file, '', err.code !== undefined ? `cannot read file: ${err.code}` : `not valid JSON: ${err.message}`)
  }
  const isReport = (x: unknown): x is Report => typeof x === 'object' && x !== null && (x as Report).format === REPORT_FORMAT
  const d = doc as { baseline?: unknown; candidate?: unknown; candidates?: unknown }
  const others = Array.isArray(d?.candidates) ? d.candidates : [d?.candidate]
  const reports = isReport(doc) ? [doc] : isReport(d?.baseline) && others.length > 0 && others.every(isReport) ? [d.baseline, ...(others as Report[])] : null
  if (reports === null) throw new InputError(file, 'format', `expected an aifab report ("format": "${REPORT_FORMAT}") or a comparison with baseline and candidate reports`)
  reports.forEach((r, i) => {
    const where = reports.length === 1 ? 'version' : i === 0 ? 'baseline.version' : Array.isArray(d.candidates) ? `candidates[${i - 1}].version` : 'candidate.version'
    if (r.version !== REPORT_VERSION) throw new InputError(file, where, `expected ${REPORT_VERSION} (the only report version this aifab reads), got ${JSON.stringify(r.version)}`)
  })
  return reports
}
