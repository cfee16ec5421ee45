import { buildFabric, type Fabric, type FabricProfile, type TopologyConfig } from '@aifab/topology'
import type { CcDefinition } from '@aifab/nic'
import { replay, replayYielding, type ReplayLimits, type ReplayResult, type Trace } from '@aifab/workload'
import { buildReport, checkInvariants, type Report, type RunInputs, type Violation } from '@aifab/report'

export interface Scenario {
  trace: Trace
  /** Where the trace came from (named in errors and in the report). */
  traceFile: string
  /** sha256 of the trace file, for the report; a trace built in memory is hashed from its JSON. */
  traceSha256?: string
  /** The files a CLI run read and its limits, for the report. */
  inputs?: RunInputs
  topology: TopologyConfig
  profile: FabricProfile
  /** The congestion controller (a loaded module); default: the built-in the profile names. */
  cc?: CcDefinition
  seed: number
  limits?: ReplayLimits
  /** Check the run's invariants (default true; off only for speed work). */
  check?: boolean
}

export interface ScenarioRun {
  report: Report
  wallSeconds: number
  /** The first broken invariant, or null (also null when not checked). */
  violation: Violation | null
}

/** Builds the fabric, replays the trace on it and returns the run's report and the first broken invariant. */
export function runScenario(s: Scenario): ScenarioRun {
  const t0 = performance.now()
  const fabric = buildFabric(s.topology, s.profile, s.seed, s.cc)
  return finish(s, fabric, replay(fabric, s.trace, s.traceFile, s.limits), t0)
}

/** The same run, letting this thread's event loop run between slices (so Ctrl-C can stop it: see replayYielding). */
export async function runScenarioYielding(s: Scenario): Promise<ScenarioRun> {
  const t0 = performance.now()
  const fabric = buildFabric(s.topology, s.profile, s.seed, s.cc)
  return finish(s, fabric, await replayYielding(fabric, s.trace, s.traceFile, s.limits), t0)
}

function finish(s: Scenario, fabric: Fabric, result: ReplayResult, t0: number): ScenarioRun {
  const report = buildReport({ trace: s.trace, traceFile: s.traceFile, ...(s.traceSha256 !== undefined ? { traceSha256: s.traceSha256 } : {}), ...(s.inputs !== undefined ? { inputs: s.inputs } : {}), fabric, result })
  const violation = s.check === false ? null : checkInvariants(report, fabric, s.trace, result)
  return { report, wallSeconds: (performance.now() - t0) / 1000, violation }
}
