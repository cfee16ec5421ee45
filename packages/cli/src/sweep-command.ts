import { createHash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { InputError } from '@aifab/core'
import { topologyShape } from '@aifab/topology'
import { failedFigures, fmtTime, renderSweepOutputs, sweepDocument, toJson, type OutputFormat, type SweepFigures, type SweepPoint } from '@aifab/report'
import { writeOutputs } from './output.ts'
import { EXIT, printInputWarnings } from './run-command.ts'
import { expandGrid, shardPoints, type GridPoint, type Shard, type SweepGrid } from './sweep-grid.ts'
import { PointLoader, type PointOutcome, type SweepSetup } from './sweep-point.ts'
import { parseSweepSpec, type SweepSpec } from './sweep-spec.ts'
import { runOnWorkers, warnIfMoreThanCores, workerEntry } from './worker-pool.ts'
import type { WorkerJob } from './worker-thread.ts'
import { forgetPoint, readPointRecord, writePointRecord, type RunIdentity } from './sweep-point-record.ts'
import { codeSha256 } from './code-identity.ts'

export interface SweepArgs {
  file: string
  workers: number
  shard: Shard | null
  out: string
  /** What each point's directory gets (as replay's --format). */
  formats: OutputFormat[]
  quiet: boolean
  /** Reuse the points an earlier run of this sweep into `out` finished (see sweep-point-record.ts). */
  resume: boolean
}

/**
 * `aifab sweep <sweep.json> --workers N [--shard i/N] --out DIR`: checks the
 * whole grid (every trace, profile and override value: bad input exits 2
 * before any worker starts), runs this shard's points on N worker threads,
 * writes DIR/points/<id>/ per point and DIR/sweep.{json,csv,md,html}, prints
 * sweep.md. Each finished point also gets points/<id>/point.json, so that
 * `--resume` after an interrupted run (a job killed at its time limit) runs
 * only the points that had not finished. Returns the exit code: 1 if a point
 * failed or broke an invariant, 3 if one stopped before its trace completed.
 */
export async function sweepCommand(a: SweepArgs): Promise<number> {
  const spec = parseSweepSpec(a.file)
  const grid = expandGrid(spec)
  const setup: SweepSetup = { topology: spec.topology.path, limits: spec.limits, check: spec.check, formats: a.formats, outDir: a.out }
  const loader = new PointLoader(setup)
  const withModule = await checkPoints(spec, grid, loader)
  printInputWarnings()
  const inputs = [...loader.files].map(([file, sha256]) => ({ file, sha256 })).sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0))
  const specSha256 = createHash('sha256').update(toJson({ spec: spec.canonical, inputs })).digest('hex')
  const workerUrl = workerEntry()

  const mine = shardPoints(grid.points, a.shard)
  const results: SweepPoint[] = []
  const toRun: GridPoint[] = []
  const identity: RunIdentity = { specSha256, codeSha256: codeSha256(), formats: a.formats }
  for (const p of mine) {
    const earlier = a.resume ? readPointRecord(a.out, identity, p) : null
    if (earlier !== null) {
      results.push(earlier)
    } else {
      forgetPoint(a.out, p)
      toRun.push(p)
    }
  }
  warnIfMoreThanCores(a.workers)
  const workers = Math.min(a.workers, Math.max(1, toRun.length))
  const say = (s: string) => a.quiet || process.stderr.write(`aifab: ${s}\n`)
  const reused = results.length > 0 ? `; ${results.length} finished by an earlier run, ${toRun.length} to run` : ''
  say(`sweep ${spec.name}: ${mine.length} of ${grid.points.length} points${a.shard ? ` (shard ${a.shard.index}/${a.shard.count})` : ''} on ${workers} worker thread${workers === 1 ? '' : 's'}${reused}`)

  const t0 = performance.now()
  await runOnWorkers<WorkerJob & { kind: 'point' }, PointOutcome>(
    toRun.map((point) => ({ kind: 'point', point })),
    workers,
    () => new Worker(workerUrl, { workerData: setup }),
    ({ point: p }, o) => {
      const figures = 'result' in o ? o.result.figures : failedFigures(o.error)
      const point = { index: p.index, id: p.id, label: p.label, at: p.at, ...figures }
      results.push(point)
      // Only a point that ran to a report is recorded: one whose worker failed runs again on --resume.
      if ('result' in o) writePointRecord(a.out, identity, o.result.files, point)
      say(`[${results.length}/${mine.length}] ${p.id} ${p.label}: ${statusOf(figures)}`)
    },
    // A point with a controller module gets a thread that has not loaded it: its state lasts one point.
    { retireAfter: ({ point }) => withModule.has(profileKey(point)) },
  )
  const wallSeconds = (performance.now() - t0) / 1000

  const doc = sweepDocument({ name: spec.name, specSha256, spec: spec.canonical, inputs, formats: a.formats, axes: grid.axes, points: grid.points.length, shard: a.shard, results })
  const files = renderSweepOutputs(doc)
  const written = writeOutputs(a.out, files)
  process.stdout.write(files['sweep.md']!)
  // Wall time and worker count go to stderr only: the files are the same whatever they were.
  say(`${toRun.length} points in ${wallSeconds.toFixed(1)} s wall on ${workers} worker thread${workers === 1 ? '' : 's'}; wrote ${written.join(', ')} and ${a.out}/points/`)
  return sweepExitCode(doc.results)
}

/** How a point went, in a progress line. */
function statusOf(f: SweepFigures): string {
  if (f.outcome === 'error') return `error: ${f.error}`
  const time = f.completionTimePs === null ? '' : `, ${fmtTime(f.completionTimePs)}`
  return `${f.outcome}${time}${f.violation === null ? '' : `; invariant violated: ${f.violation}`}`
}

/**
 * The exit code of a sweep's (or a merge's) points, with a line on stderr
 * naming those at fault: 1 if any could not run, had its congestion
 * controller fail or broke an invariant; else 3 if any stopped early; else 0.
 */
export function sweepExitCode(points: readonly SweepPoint[]): number {
  const named = (ps: readonly SweepPoint[]) => ps.slice(0, 10).map((p) => `${p.id} (${p.label})`).join(', ') + (ps.length > 10 ? `, and ${ps.length - 10} more` : '')
  const broken = points.filter((p) => p.outcome === 'error' || p.outcome === 'cc-error' || p.violation !== null)
  if (broken.length > 0) {
    const p = broken[0]!
    const why = p.outcome === 'error' ? `error: ${p.error}` : p.outcome === 'cc-error' ? `run stopped: ${p.error}` : `invariant violated: ${p.violation}`
    process.stderr.write(`aifab: ${broken.length} point${broken.length === 1 ? '' : 's'} failed: ${named(broken)}; first, ${p.id}: ${why}\n`)
    return EXIT.internal
  }
  const stopped = points.filter((p) => p.outcome !== 'complete')
  if (stopped.length > 0) {
    process.stderr.write(`aifab: ${stopped.length} point${stopped.length === 1 ? '' : 's'} stopped before every op completed: ${named(stopped)}; their partial reports are written\n`)
    return EXIT.incomplete
  }
  return EXIT.ok
}

/** A point's profile with its overrides: what decides its controller. */
const profileKey = (p: GridPoint) => `${p.profile}\n${JSON.stringify(p.overrides)}`

/**
 * Reads every distinct trace and profile-with-overrides of the grid once,
 * with the loaders a run uses, so bad input exits 2 before any worker
 * starts (and every shard refuses it alike). A value given in the sweep file
 * is blamed on its field there. Returns the profile keys whose controller is
 * a module.
 */
async function checkPoints(spec: SweepSpec, grid: SweepGrid, loader: PointLoader): Promise<Set<string>> {
  const withModule = new Set<string>()
  const hosts = topologyShape(loader.topology()).hosts
  const traces = new Set<string>()
  const profiles = new Set<string>()
  for (const p of grid.points) {
    try {
      if (!traces.has(p.trace.file)) {
        traces.add(p.trace.file)
        const { trace } = loader.trace(p)
        if (trace.ranks > hosts) {
          const why = `${trace.ranks} ranks do not fit on ${spec.topology.path} (${hosts} hosts)`
          throw p.trace.gen === null ? new InputError(spec.file, p.traceField, why) : new InputError('--ranks', '', why)
        }
      }
      const key = profileKey(p)
      if (!profiles.has(key)) {
        profiles.add(key)
        if ((await loader.profile(p)).ccModule !== null) withModule.add(key)
      }
    } catch (e) {
      throw e instanceof InputError ? inSweepTerms(e, p, spec, grid) : e
    }
  }
  return withModule
}

/** An error a loader raised against a flag (--window-bdp, --bytes), said against the sweep file's field that gave the value. */
function inSweepTerms(e: InputError, p: GridPoint, spec: SweepSpec, grid: SweepGrid): InputError {
  const at = (field: string) => {
    const k = grid.axes.findIndex((a) => a.field === field)
    return k < 0 ? field : `${field}[${p.at[k]}]`
  }
  if (e.source.startsWith('--')) {
    const flag = e.source.slice(2)
    const ov = spec.overrides.find((x) => x.key === flag)
    if (ov !== undefined) return new InputError(spec.file, at(ov.field), e.expected)
    if (spec.gen !== null) {
      const key = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
      const g = spec.gen.find((x) => x.key === key)
      return new InputError(spec.file, g !== undefined ? at(g.field) : `gen.${key}`, e.expected)
    }
  }
  if (e.source.startsWith('gen ') && spec.gen !== null) return new InputError(spec.file, 'gen', `${e.expected} (${p.trace.file})`)
  return e
}
