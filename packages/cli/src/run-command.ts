import { fmtTime, renderOutputs, renderSeedsCsv, renderSeedsSummary, renderSummary, reportDocument, seedRun, seedsDocument, toJson, type OutputFormat, type Report, type RunInputs, type SeedRuns, type Violation } from '@aifab/report'
import { InputError, inputWarnings, psFromUs } from '@aifab/core'
import { loadTrace, type ReplayLimits, type Trace } from '@aifab/workload'
import type { Logger } from 'pino'
import { loadTopology, type ProfileOverrides } from './load-config.ts'
import { loadRunProfile, type RunProfile } from './load-run-profile.ts'
import { loadCc } from './load-cc.ts'
import { sha256OfFile } from './sha256-of-file.ts'
import { checkCcFitsProfile, parseProfile, parseTopology, type FabricProfile, type TopologyConfig } from '@aifab/topology'
import { builtinCc, type CcDefinition } from '@aifab/nic'
import { writeOutputs } from './output.ts'
import { runScenario } from './run-scenario.ts'
import { ProgressBar } from './progress-bar.ts'
import { readReports } from './report-command.ts'

export interface RunArgs {
  trace: string
  topology: string
  /** One profile (replay) or baseline then candidate (compare). */
  profiles: string[]
  seed: number
  /** `--seeds`: run every profile once per seed and report means with 95% intervals instead. */
  seeds?: number[]
  out?: string
  json: boolean
  quiet: boolean
  maxSimTimeUs?: number
  maxEvents?: number
  sampleUs?: number
  /** Check invariants after each run (--no-check turns it off). */
  check: boolean
  /** Files to write into `out`: json (reports), md (summary), hpcc-fct (HPCC's fct.txt). */
  formats: readonly OutputFormat[]
  overrides: ProfileOverrides
}

/** Exit codes: 0 ok, 1 internal error or broken invariant, 2 bad input, 3 run stopped before the trace completed. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, incomplete: 3 } as const


/** Prints, one line each on stderr, what the inputs read so far were warned about (unknown fields). */
export function printInputWarnings(): void {
  for (const w of inputWarnings.take()) process.stderr.write(`aifab: warning: ${w}\n`)
}

/** Everything a run needs, read and checked: from files (runCommand) or from a saved report (--from-report). */
export interface Prepared {
  topology: TopologyConfig
  profiles: FabricProfile[]
  ccs: CcDefinition[]
  trace: Trace
  traceFile: string
  traceSha256: string
  seed: number
  limits: ReplayLimits
  /** Per profile: the files read and the limits, for its report. */
  inputs: RunInputs[]
}

/** `replay` and `compare`: run each profile on the trace, print, write reports. Returns the exit code. */
export async function runCommand(a: RunArgs, log: Logger): Promise<number> {
  const topology = loadTopology(a.topology)
  const loaded: RunProfile[] = []
  for (const p of a.profiles) loaded.push(await loadRunProfile(p, a.overrides, topology))
  const profiles = loaded.map((l) => l.profile)
  const ccs = loaded.map((l) => l.cc)
  const ccModules = loaded.map((l) => l.ccModule)
  const trace = loadTrace(a.trace)
  const traceSha256 = sha256OfFile(a.trace)
  // Inputs read with warnings (unknown fields): say so before a long run, not after.
  printInputWarnings()
  log.info({ trace: a.trace, ops: trace.ops.length, ranks: trace.ranks, topology: a.topology, profiles: a.profiles, sha256: traceSha256 }, 'inputs loaded')
  const recorded = { maxSimTimeUs: a.maxSimTimeUs ?? null, maxEvents: a.maxEvents ?? null, sampleUs: a.sampleUs ?? null }
  const topologyInput = { file: a.topology, sha256: sha256OfFile(a.topology) }
  return execute(a, log, {
    topology,
    profiles,
    ccs,
    trace,
    traceFile: a.trace,
    traceSha256,
    seed: a.seed,
    limits: limitsOf(recorded),
    inputs: profiles.map((_, i) => ({ topology: topologyInput, profile: { file: a.profiles[i]!, sha256: sha256OfFile(a.profiles[i]!) }, ccModule: ccModules[i]!, limits: recorded })),
  })
}

/** The replay limits a report records, as replay takes them. */
export function limitsOf(l: RunInputs['limits']): ReplayLimits {
  return {
    ...(l.maxSimTimeUs !== null ? { maxSimTimePs: psFromUs(l.maxSimTimeUs) } : {}),
    ...(l.maxEvents !== null ? { maxEvents: l.maxEvents } : {}),
    ...(l.sampleUs !== null ? { sampleIntervalPs: psFromUs(l.sampleUs) } : {}),
  }
}

/**
 * `replay --from-report REPORT`: runs a saved report.json or compare.json
 * again from what it holds (the resolved topology and profiles, the seed, the
 * limits) and the trace and congestion-control module files it names, which
 * must still hash as they did; the new report is byte for byte the old one.
 */
export async function fromReportCommand(file: string, a: Omit<RunArgs, 'trace' | 'topology' | 'profiles' | 'seed' | 'overrides'>, log: Logger): Promise<number> {
  const reports = readReports(file)
  const first = reports[0]!
  if (reports.some((r) => r.inputs === null)) throw new InputError(file, 'inputs', 'expected the inputs a CLI run records (this report was not written by aifab replay or compare)')
  const traceFile = first.trace.file
  const changed = (what: string, f: string, was: string) => {
    let now: string
    try {
      now = sha256OfFile(f)
    } catch (e) {
      throw new InputError(file, what, `cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
    }
    if (now !== was) throw new InputError(file, what, `${f} changed since the run: sha256 ${now}, the report has ${was}`)
  }
  changed('trace.sha256', traceFile, first.trace.sha256)
  const topology = parseTopology(first.topology, `${file}: topology`)
  const profiles = reports.map((r) => parseProfile(r.profile, `${file}: profile`))
  const ccs: CcDefinition[] = []
  for (const [i, r] of reports.entries()) {
    const m = r.inputs!.ccModule
    if (m !== null) changed('inputs.ccModule.sha256', m.file, m.sha256)
    ccs.push(m === null ? builtinCc(r.cc.name, file, 'cc.name') : await loadCc(m.file, process.cwd(), file))
    checkCcFitsProfile(ccs[i]!, profiles[i]!, file)
  }
  return execute({ ...a, trace: traceFile }, log, {
    topology,
    profiles,
    ccs,
    trace: loadTrace(traceFile),
    traceFile,
    traceSha256: first.trace.sha256,
    seed: first.seed,
    limits: limitsOf(first.inputs!.limits),
    inputs: reports.map((r) => r.inputs!),
  })
}

/** Runs each prepared profile, prints, writes the reports; returns the exit code. */
type ExecuteArgs = Pick<RunArgs, 'seeds' | 'out' | 'json' | 'quiet' | 'check' | 'formats' | 'trace'>

async function execute(a: ExecuteArgs, log: Logger, p: Prepared): Promise<number> {
  const { topology, profiles, ccs, trace, traceSha256, limits } = p
  if (a.seeds !== undefined) return seedSweep(a, profiles, ccs, trace, traceSha256, topology, limits)
  const reports: Report[] = []
  const violations: (Violation | null)[] = []
  for (const [i, profile] of profiles.entries()) {
    if (!a.quiet) process.stderr.write(`aifab: running ${profile.name} on ${trace.name} ... `)
    const bar = ProgressBar.wanted(a.quiet) ? new ProgressBar() : null
    const run = runScenario({
      trace,
      traceFile: p.traceFile,
      traceSha256,
      inputs: p.inputs[i]!,
      topology,
      profile,
      cc: ccs[i]!,
      seed: p.seed,
      limits: bar === null ? limits : { ...limits, onProgress: (c, n, t, e) => bar.update(c, n, t, e) },
      check: a.check,
    })
    bar?.stop()
    violations.push(run.violation)
    const s = run.report.summary
    if (!a.quiet) {
      process.stderr.write(
        `${s.completionTimePs === null ? `stopped (${run.report.outcome})` : fmtTime(s.completionTimePs)} simulated in ${run.wallSeconds.toFixed(2)} s wall ` +
          `(${(s.packetHops / run.wallSeconds / 1e6).toFixed(2)} M packet-hops/s)\n`,
      )
    }
    log.info({ profile: profile.name, wallSeconds: run.wallSeconds, events: s.events, packetHops: s.packetHops }, 'run done')
    reports.push(run.report)
  }

  if (a.json) process.stdout.write(toJson(reportDocument(reports)))
  else process.stdout.write(renderSummary(reports))

  if (a.out !== undefined) {
    const written = writeOutputs(a.out, renderOutputs(reports, a.formats))
    if (!a.quiet) process.stderr.write(`aifab: wrote ${written.join(', ')}\n`)
  }

  const ccBroken = reports.find((r) => r.outcome === 'cc-error')
  if (ccBroken) {
    process.stderr.write(`aifab: ${ccBroken.profile.name}: run stopped: ${ccBroken.error}; the partial report is written\n`)
    return EXIT.internal
  }
  const broken = violations.findIndex((v) => v !== null)
  if (broken >= 0) {
    const v = violations[broken]!
    process.stderr.write(`aifab: invariant violated (${reports[broken]!.profile.name}): ${v.invariant}: ${v.element}: ${v.detail}; the report is written\n`)
    return EXIT.internal
  }
  const stopped = reports.find((r) => r.outcome !== 'complete')
  if (stopped) {
    process.stderr.write(
      `aifab: ${stopped.profile.name}: run stopped (${stopped.outcome}) with ${stopped.incompleteOps.length} of ${stopped.trace.ops} ops unfinished; the report lists them\n`,
    )
    return EXIT.incomplete
  }
  return EXIT.ok
}

/**
 * `--seeds`: every profile once per seed; prints (and with --out writes
 * seeds.md, seeds.csv, seeds.json) each headline figure's mean and 95%
 * interval. Exits 1 on a broken invariant, 3 if any run did not complete.
 */
function seedSweep(
  a: ExecuteArgs,
  profiles: FabricProfile[],
  ccs: CcDefinition[],
  trace: Trace,
  traceSha256: string,
  topology: TopologyConfig,
  limits: ReplayLimits,
): number {
  const sweep: SeedRuns[] = profiles.map((p) => ({ profile: p.name, runs: [] }))
  let broken: string | null = null
  for (const seed of a.seeds!) {
    profiles.forEach((profile, i) => {
      const run = runScenario({ trace, traceFile: a.trace, traceSha256, topology, profile, cc: ccs[i]!, seed, limits, check: a.check })
      sweep[i]!.runs.push(seedRun(run.report))
      if (run.violation !== null && broken === null) broken = `${profile.name}, seed ${seed}: ${run.violation.invariant}: ${run.violation.element}: ${run.violation.detail}`
      if (!a.quiet) process.stderr.write(`aifab: ${profile.name}, seed ${seed}: ${run.report.outcome}, ${run.report.summary.completionTimePs === null ? '-' : fmtTime(run.report.summary.completionTimePs)}\n`)
    })
  }
  const md = renderSeedsSummary(trace.name, sweep)
  const doc = seedsDocument(trace.name, sweep)
  process.stdout.write(a.json ? toJson(doc) : md)
  if (a.out !== undefined) {
    const written = writeOutputs(a.out, { 'seeds.md': md, 'seeds.csv': renderSeedsCsv(sweep), 'seeds.json': toJson(doc) })
    if (!a.quiet) process.stderr.write(`aifab: wrote ${written.join(', ')}\n`)
  }
  if (broken !== null) {
    process.stderr.write(`aifab: invariant violated (${broken})\n`)
    return EXIT.internal
  }
  return sweep.every((p) => p.runs.every((r) => r.outcome === 'complete')) ? EXIT.ok : EXIT.incomplete
}
