import type { Report, RunInputs, Violation } from '@aifab/report'
import type { FabricProfile, TopologyConfig } from '@aifab/topology'
import { loadTrace, type ReplayLimits, type Trace } from '@aifab/workload'
import { loadCc } from './load-cc.ts'
import { runScenario } from './run-scenario.ts'

/**
 * One run of `replay`/`compare` (a profile) or of `--seeds` (a profile and a
 * seed), as plain data a worker thread can be sent: the congestion controller
 * by name or module file (functions do not cross threads), the trace by file.
 */
export interface RunJob {
  traceFile: string
  traceSha256: string
  topology: TopologyConfig
  profile: FabricProfile
  /** A built-in's name or the module's path (relative to the working directory), as loadCc takes it. */
  cc: string
  seed: number
  limits: ReplayLimits
  /** The files read and the limits, for the report (a CLI run records them; --seeds runs do not). */
  inputs?: RunInputs
  check: boolean
}

export interface RunOutcome {
  report: Report
  violation: Violation | null
  wallSeconds: number
}

/** The last trace a worker read: the jobs of one command share it. */
let cached: { file: string; trace: Trace } | null = null

/** Runs the job in this thread (a worker's): reads the trace and the controller, as the command that sent it had. */
export async function runJob(j: RunJob): Promise<RunOutcome> {
  if (cached?.file !== j.traceFile) cached = { file: j.traceFile, trace: loadTrace(j.traceFile) }
  const cc = await loadCc(j.cc, process.cwd(), j.traceFile)
  const run = runScenario({
    trace: cached.trace,
    traceFile: j.traceFile,
    traceSha256: j.traceSha256,
    ...(j.inputs !== undefined ? { inputs: j.inputs } : {}),
    topology: j.topology,
    profile: j.profile,
    cc,
    seed: j.seed,
    limits: j.limits,
    check: j.check,
  })
  return { report: run.report, violation: run.violation, wallSeconds: run.wallSeconds }
}
