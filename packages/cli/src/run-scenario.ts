import { buildFabric, type FabricProfile, type TopologyConfig } from '@aifab/topology'
import type { CcDefinition } from '@aifab/nic'
import { replay, type ReplayLimits, type Trace } from '@aifab/workload'
import { buildReport, type Report } from '@aifab/report'

export interface Scenario {
  trace: Trace
  /** Where the trace came from (named in errors and in the report). */
  traceFile: string
  /** The trace file's bytes, for the report's content hash; a trace built in memory is hashed from its JSON. */
  traceBytes?: Uint8Array
  topology: TopologyConfig
  profile: FabricProfile
  /** The congestion controller (a loaded module); default: the built-in the profile names. */
  cc?: CcDefinition
  seed: number
  limits?: ReplayLimits
}

export interface ScenarioRun {
  report: Report
  wallSeconds: number
}

/** Builds the fabric, replays the trace on it and returns the run's report. */
export function runScenario(s: Scenario): ScenarioRun {
  const t0 = performance.now()
  const fabric = buildFabric(s.topology, s.profile, s.seed, s.cc)
  const result = replay(fabric, s.trace, s.traceFile, s.limits)
  const traceBytes = s.traceBytes ?? new TextEncoder().encode(JSON.stringify(s.trace))
  const report = buildReport({ trace: s.trace, traceFile: s.traceFile, traceBytes, fabric, result })
  return { report, wallSeconds: (performance.now() - t0) / 1000 }
}
