import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { toJson, type OutputFormat, type SweepPoint } from '@aifab/report'
import type { GridPoint } from './sweep-grid.ts'
import { writeFileWhole } from './output.ts'

/** Written last into points/<id>/: the point is done, and this is what it gave. */
const POINT_RECORD = 'point.json'

interface PointRecord {
  format: 'aifab.sweep-point'
  version: 1
  /** The sweep's spec hash (sweep file and every input file): a point of another sweep, or of changed inputs, is never reused. */
  specSha256: string
  /** The code that computed it (see code-identity.ts): a point of an older or newer aifab is never reused either. */
  codeSha256: string
  formats: OutputFormat[]
  /** The report files written for the point: all must still be there for it to be reused. */
  files: string[]
  point: SweepPoint
}

/**
 * Records a finished point beside its reports, after them, and atomically (a
 * temporary file renamed), so a run killed at any moment leaves either a whole
 * record or none: `aifab sweep --resume` trusts the point only then.
 */
export function writePointRecord(outDir: string, run: RunIdentity, files: readonly string[], point: SweepPoint): void {
  const file = join(outDir, 'points', point.id, POINT_RECORD)
  const record: PointRecord = { format: 'aifab.sweep-point', version: 1, specSha256: run.specSha256, codeSha256: run.codeSha256, formats: [...run.formats], files: [...files], point }
  writeFileWhole(file, toJson(record))
}

/** What a reusable point must have been computed with. */
export interface RunIdentity {
  specSha256: string
  codeSha256: string
  formats: readonly OutputFormat[]
}

/**
 * Removes the point's record before it runs (again): a run killed while
 * rewriting its reports must not leave a record vouching for them.
 */
export function forgetPoint(outDir: string, p: GridPoint): void {
  rmSync(join(outDir, 'points', p.id, POINT_RECORD), { force: true })
}

/**
 * The point as an earlier run of the same sweep (same spec hash, same code,
 * same --format) into `outDir` finished it, or null if none did (no record, an
 * unreadable one, another sweep's or aifab's, or a report file missing): then it runs again.
 */
export function readPointRecord(outDir: string, run: RunIdentity, p: GridPoint): SweepPoint | null {
  const dir = join(outDir, 'points', p.id)
  let r: PointRecord
  try {
    r = JSON.parse(readFileSync(join(dir, POINT_RECORD), 'utf8')) as PointRecord
  } catch {
    return null
  }
  const same =
    r?.format === 'aifab.sweep-point' &&
    r.version === 1 &&
    r.specSha256 === run.specSha256 &&
    r.codeSha256 === run.codeSha256 &&
    Array.isArray(r.formats) &&
    r.formats.join(',') === run.formats.join(',') &&
    typeof r.point === 'object' &&
    r.point !== null &&
    r.point.index === p.index &&
    r.point.id === p.id &&
    r.point.label === p.label &&
    Array.isArray(r.point.at) &&
    r.point.at.join(',') === p.at.join(',') &&
    typeof r.point.outcome === 'string' &&
    Array.isArray(r.files) &&
    r.files.length > 0 &&
    r.files.every((f) => typeof f === 'string' && existsSync(join(dir, f)))
  return same ? r.point : null
}
