import { InputError } from '@aifab/core'
import type { CcDefinition } from '@aifab/nic'
import type { RunInputs } from '@aifab/report'
import type { FabricProfile, TopologyConfig } from '@aifab/topology'
import { loadTrace, type ReplayLimits, type Trace } from '@aifab/workload'
import { isAbsolute } from 'node:path'
import { loadCc } from './load-cc.ts'
import { runScenario, type Scenario, type ScenarioRun } from './run-scenario.ts'
import { sha256OfFile } from './sha256-of-file.ts'
import { stopRequestedBy } from './interrupt.ts'

/**
 * One run of `replay`/`compare` (a profile) or of `--seeds` (a profile and a
 * seed), as plain data a worker thread can be sent: the trace by file and the
 * congestion controller by name or module path (functions do not cross threads).
 */
export interface RunJob {
  traceFile: string
  traceSha256: string
  topology: TopologyConfig
  profile: FabricProfile
  /** A built-in's name, or the absolute path of the controller's module. */
  cc: string
  seed: number
  limits: ReplayLimits
  /** The files read and the limits, for the report (a CLI run records them; --seeds runs do not). */
  inputs?: RunInputs
  check: boolean
  /** Set by the main thread to stop the run at its next slice (Ctrl-C: see interrupt.ts); shared memory, so a worker sees it. */
  stop?: Int32Array
  /** Report progress to the main thread (for its progress bar). */
  progress?: boolean
}

/** The scenario a job runs, given its trace and controller. */
export function scenarioOf(j: RunJob, trace: Trace, cc: CcDefinition): Scenario {
  return {
    trace,
    traceFile: j.traceFile,
    traceSha256: j.traceSha256,
    ...(j.inputs !== undefined ? { inputs: j.inputs } : {}),
    topology: j.topology,
    profile: j.profile,
    cc,
    seed: j.seed,
    limits: j.stop === undefined ? j.limits : { ...j.limits, stopRequested: stopRequestedBy(j.stop) },
    check: j.check,
  }
}

/** Whether the job's controller is a module (whose state a thread must not carry from one run to the next), not a built-in. */
export function usesCcModule(j: RunJob): boolean {
  return isAbsolute(j.cc)
}

/** The last trace a worker read: the jobs of one command share it. */
let cached: { file: string; trace: Trace } | null = null

/**
 * Runs the job in this thread (a worker's): reads the trace (which must hash
 * as the command's did) and the controller; `onProgress` is told how far the
 * run is when the job asks for progress.
 */
export async function runJob(j: RunJob, onProgress?: ReplayLimits['onProgress']): Promise<ScenarioRun> {
  if (cached?.file !== j.traceFile) {
    if (sha256OfFile(j.traceFile) !== j.traceSha256) throw new InputError(j.traceFile, '', `changed while the runs were starting: expected sha256 ${j.traceSha256}`)
    cached = { file: j.traceFile, trace: loadTrace(j.traceFile) }
  }
  const scenario = scenarioOf(j, cached.trace, await loadCc(j.cc, '/', '--cc'))
  return runScenario(j.progress === true && onProgress !== undefined ? { ...scenario, limits: { ...scenario.limits, onProgress } } : scenario)
}
