import { join } from 'node:path'
import { renderOutputs, sweepFigures, type OutputFormat, type RunInputs, type SweepFigures } from '@aifab/report'
import type { TopologyConfig } from '@aifab/topology'
import { loadTrace, publishedCdf, type Trace } from '@aifab/workload'
import { genTrace } from './gen-command.ts'
import { loadTopology } from './load-config.ts'
import { loadRunProfile, type RunProfile } from './load-run-profile.ts'
import { writeOutputs } from './output.ts'
import { limitsOf } from './run-command.ts'
import { runScenario, type Scenario } from './run-scenario.ts'
import { sha256OfFile } from './sha256-of-file.ts'
import type { GridPoint } from './sweep-grid.ts'

/** What every point of a sweep shares (plain data: a worker thread gets it at start). */
export interface SweepSetup {
  /** The topology file, relative to the working directory. */
  topology: string
  limits: RunInputs['limits']
  check: boolean
  formats: OutputFormat[]
  /** Where points/<id>/ go. */
  outDir: string
}

/**
 * Reads what a point needs with the CLI's own loaders (loadTopology,
 * loadRunProfile, loadTrace, genTrace), keeping the topology and the last
 * trace (points of one trace come one after another: the trace is the
 * outermost axis), and records every file read with its sha256.
 */
export class PointLoader {
  private topo: TopologyConfig | null = null
  private last: { key: string; trace: Trace; sha256: string | undefined } | null = null
  /** File -> sha256 of every file read so far. */
  readonly files = new Map<string, string>()

  constructor(readonly setup: SweepSetup) {}

  private read(file: string): string {
    let h = this.files.get(file)
    if (h === undefined) this.files.set(file, (h = sha256OfFile(file)))
    return h
  }

  topology(): TopologyConfig {
    if (this.topo === null) {
      this.topo = loadTopology(this.setup.topology)
      this.read(this.setup.topology)
    }
    return this.topo
  }

  /** The point's trace and its file's sha256 (undefined for a generated one: the report hashes its JSON). */
  trace(p: GridPoint): { trace: Trace; sha256: string | undefined } {
    if (this.last?.key !== p.trace.file) {
      const g = p.trace.gen
      if (g !== null && g.cdf !== undefined && publishedCdf(g.cdf) === undefined) this.read(g.cdf)
      const trace = g === null ? loadTrace(p.trace.file) : genTrace(g)
      this.last = { key: p.trace.file, trace, sha256: g === null ? this.read(p.trace.file) : undefined }
    }
    return this.last
  }

  async profile(p: GridPoint): Promise<RunProfile> {
    const rp = await loadRunProfile(p.profile, p.overrides, this.topology())
    this.read(p.profile)
    if (rp.ccModule !== null) this.files.set(rp.ccModule.file, rp.ccModule.sha256)
    return rp
  }

  /** Everything runScenario needs for the point, with the inputs its report records (as `aifab replay` records them). */
  async scenario(p: GridPoint): Promise<Scenario> {
    const topology = this.topology()
    const rp = await this.profile(p)
    const { trace, sha256 } = this.trace(p)
    const { limits, check } = this.setup
    return {
      trace,
      traceFile: p.trace.file,
      ...(sha256 !== undefined ? { traceSha256: sha256 } : {}),
      inputs: { topology: { file: this.setup.topology, sha256: this.read(this.setup.topology) }, profile: { file: p.profile, sha256: this.read(p.profile) }, ccModule: rp.ccModule, limits },
      topology,
      profile: rp.profile,
      cc: rp.cc,
      seed: p.seed,
      limits: limitsOf(limits),
      check,
    }
  }
}

/** What running a point gives back: its headline figures, the report files written, and its wall time (for stderr only). */
export interface PointOutcome {
  figures: SweepFigures
  files: string[]
  wallSeconds: number
}

/** Runs one point and writes its reports into points/<id>/ (renderOutputs, as `aifab replay --out` writes them). */
export async function runPoint(p: GridPoint, loader: PointLoader): Promise<PointOutcome> {
  const run = runScenario(await loader.scenario(p))
  const files = renderOutputs([run.report], loader.setup.formats)
  writeOutputs(join(loader.setup.outDir, 'points', p.id), files)
  const v = run.violation
  return { figures: sweepFigures(run.report, v === null ? null : `${v.invariant}: ${v.element}: ${v.detail}`), files: Object.keys(files), wallSeconds: run.wallSeconds }
}
