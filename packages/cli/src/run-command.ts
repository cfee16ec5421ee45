import { fmtTime, jsonText, renderOutputs, renderSeedsCsv, renderSeedsSummary, renderSummary, reportDocument, seedRun, seedsDocument, toJson, type OutputFormat, type Report, type RunInputs, type SeedRuns, type Violation } from '@aifab/report'
import { InputError, inputWarnings, psFromUs } from '@aifab/core'
import { loadTrace, placeRanks, type ReplayLimits, type Trace } from '@aifab/workload'
import type { Logger } from 'pino'
import { loadTopology, type ProfileOverrides } from './load-config.ts'
import { loadRunProfile, type RunProfile } from './load-run-profile.ts'
import { loadCc } from './load-cc.ts'
import { sha256OfFile } from './sha256-of-file.ts'
import { checkCcFitsProfile, parseProfile, parseTopology, topologyShape, type FabricProfile, type TopologyConfig } from '@aifab/topology'
import { builtinCc, type CcDefinition } from '@aifab/nic'
import { writeOutputs, writePieces } from './output.ts'
import { runScenario, runScenarioYielding, type ScenarioRun } from './run-scenario.ts'
import { Interrupt } from './interrupt.ts'
import { scenarioOf, usesCcModule, type RunJob } from './run-job.ts'
import { runOnWorkers, warnIfMoreThanCores, workerEntry, type InputErrorParts } from './worker-pool.ts'
import type { WorkerJob } from './worker-thread.ts'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import { clearProgressBars, ProgressBar, SummedProgressBar } from './progress-bar.ts'
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
  /** Worker threads for the runs (profiles, or profiles x seeds); default: as many as there are runs and cores. */
  workers?: number
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
  // Where a signal stopped a run is not an input: refused, with what does reproduce it.
  const cut = reports.filter((r) => r.outcome === 'interrupted')
  if (cut.length > 0) {
    const when = cut.map((r) => (r.summary.events > 0 ? `${r.profile.name} after ${r.summary.events} events` : `${r.profile.name} before it began`)).join(', ')
    const events = cut[0]!.summary.events
    const instead = reports.length === 1 && events > 0 ? `rerun the original command with --max-events ${events}, or in full` : 'rerun the original command in full'
    throw new InputError(file, 'outcome', `expected a run that was not interrupted (stopped on a signal: ${when}); ${instead}`)
  }
  const traceFile = first.trace.file
  // A sweep's generated trace has a name, not a file (see sweep-point.ts).
  if (traceFile.startsWith('gen:') && !existsSync(traceFile)) {
    throw new InputError(file, 'trace.file', `expected a trace file; this run's trace was generated by a sweep (${traceFile}): write it with aifab gen and those values, then replay that file`)
  }
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
    // The recorded path is relative to the working directory: resolved, a file named like a built-in is still the file.
    ccs.push(m === null ? builtinCc(r.cc.name, file, 'cc.name') : await loadCc(resolve(m.file), process.cwd(), file))
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

type ExecuteArgs = Pick<RunArgs, 'seeds' | 'out' | 'json' | 'quiet' | 'check' | 'formats' | 'trace' | 'workers'>

/** One run of a command: profile number `profileIndex` (into Prepared's lists) with `seed`. */
interface RunSpec {
  profileIndex: number
  seed: number
}

/** How a run went, on stderr: simulated time, wall time, packet-hops per second. */
function runLine(run: ScenarioRun): string {
  const s = run.report.summary
  return (
    `${s.completionTimePs === null ? `stopped (${run.report.outcome})` : fmtTime(s.completionTimePs)} simulated in ${run.wallSeconds.toFixed(2)} s wall ` +
    `(${(s.packetHops / run.wallSeconds / 1e6).toFixed(2)} M packet-hops/s)`
  )
}

/** Worker threads for `runs` runs: --workers, else one per core; never more than the runs. */
function workersFor(a: ExecuteArgs, runs: number): number {
  return Math.min(a.workers ?? availableParallelism(), runs)
}

/** Whether runAll runs `specs` in this thread: one worker, and a controller module's only run or built-ins alone. */
function runsInThread(a: ExecuteArgs, p: Prepared, specs: readonly RunSpec[]): boolean {
  return workersFor(a, specs.length) <= 1 && (specs.length === 1 || specs.every((spec) => p.inputs[spec.profileIndex]!.ccModule === null))
}

/** What runAll tells its caller, and what it keeps of each run. */
interface RunEvents<T> {
  /** As a run starts, when the runs are in this thread. */
  started?: (spec: RunSpec) => void
  /** As each run ends: what to keep of it (the rest of the run is dropped). */
  done: (spec: RunSpec, run: ScenarioRun) => T
  /** Progress bars when stderr is a terminal (replay, compare): one per run in this thread, one for all the runs on worker threads. */
  bars: boolean
  /** A run not started because a stop came first (Ctrl-C): what to keep in its place. Without it, such a run starts and stops at once. */
  skipped?: (spec: RunSpec) => T
}

/**
 * Runs `specs`: one after another in this thread, or on worker threads, each
 * taking the next run: with more than one worker and more than one run, and
 * also with one worker when several runs use a controller module. A run with
 * a module gets a thread that has not loaded it before (its worker is
 * replaced after it), so module-level state, the module's or its imports',
 * lasts one run. With its own fabric as well, each run gives the same bytes
 * however many threads there are and whatever ran before it. Returns what
 * `done` kept of each run, in the order of `specs`. A run that fails in a
 * worker (not one whose controller throws: that is its report's outcome)
 * stops the dispatch of the rest and is thrown once the runs under way are done.
 * With `stop`, each run stops at its next slice once the flag is set (Ctrl-C),
 * and a run in this thread lets the event loop in between slices to hear it.
 */
async function runAll<T>(a: ExecuteArgs, p: Prepared, specs: readonly RunSpec[], withInputs: boolean, on: RunEvents<T>, stop?: Interrupt): Promise<T[]> {
  const jobs = specs.map((spec): RunJob => {
    const module = p.inputs[spec.profileIndex]!.ccModule
    return {
      traceFile: p.traceFile,
      traceSha256: p.traceSha256,
      topology: p.topology,
      profile: p.profiles[spec.profileIndex]!,
      cc: module === null ? p.ccs[spec.profileIndex]!.name : resolve(module.file),
      seed: spec.seed,
      limits: p.limits,
      ...(withInputs ? { inputs: p.inputs[spec.profileIndex]! } : {}),
      check: a.check,
      ...(stop !== undefined ? { stop: stop.flag } : {}),
    }
  })
  const kept: T[] = []
  const workers = workersFor(a, specs.length)
  // After a stop, runs not yet started are skipped when the caller can say what stands in for them.
  const skipping = () => stop?.requested() === true && on.skipped !== undefined
  if (runsInThread(a, p, specs)) {
    // In this thread, with the controllers loaded to check the profiles: a module's only run, or built-ins.
    for (const [k, job] of jobs.entries()) {
      if (skipping()) {
        kept.push(on.skipped!(specs[k]!))
        continue
      }
      on.started?.(specs[k]!)
      const bar = on.bars && ProgressBar.wanted(a.quiet) ? new ProgressBar() : null
      const scenario = scenarioOf(job, p.trace, p.ccs[specs[k]!.profileIndex]!)
      const withBar = bar === null ? scenario : { ...scenario, limits: { ...scenario.limits, onProgress: (c: number, n: number, t: number, e: number) => bar.update(c, n, t, e) } }
      // With a stop to listen for, the run lets the event loop (and its signal handlers) in between slices.
      const run = stop === undefined ? runScenario(withBar) : await runScenarioYielding(withBar)
      bar?.stop()
      kept.push(on.done(specs[k]!, run))
    }
    return kept
  }
  const url = workerEntry()
  let failed: { k: number; error: string; input?: InputErrorParts } | null = null
  const bar = on.bars && ProgressBar.wanted(a.quiet) ? new SummedProgressBar(jobs.length * p.trace.ops.length) : null
  const messages = jobs.map((job, k): WorkerJob & { kind: 'run'; k: number } => ({ kind: 'run', k, job: bar === null ? job : { ...job, progress: true } }))
  await runOnWorkers<(typeof messages)[number], ScenarioRun>(
    messages,
    workers,
    () => new Worker(url, { workerData: null }),
    ({ k }, o) => {
      bar?.ended(k, p.trace.ops.length, 'result' in o ? o.result.report.summary.events : undefined)
      if ('error' in o) {
        // The earliest run that failed, whichever finished first: the same message every time.
        if (failed === null || k < failed.k) failed = { k, error: o.error, ...(o.input !== undefined ? { input: o.input } : {}) }
        return false
      }
      kept[k] = on.done(specs[k]!, o.result)
      return true
    },
    {
      retireAfter: (m) => usesCcModule(m.job),
      progress: ({ k }, c) => bar?.update(k, c),
      canStart: () => !skipping(),
    },
  )
  bar?.stop()
  if (failed !== null) {
    const f: { k: number; error: string; input?: InputErrorParts } = failed
    if (f.input !== undefined) throw new InputError(f.input.source, f.input.path, f.input.expected)
    const spec = specs[f.k]!
    throw new Error(`the run of ${p.profiles[spec.profileIndex]!.name}${a.seeds !== undefined ? `, seed ${spec.seed},` : ''} failed in its worker thread: ${f.error}`)
  }
  specs.forEach((spec, k) => {
    if (!(k in kept)) kept[k] = on.skipped!(spec)
  })
  return kept
}

/** Runs each prepared profile, prints, writes the reports; returns the exit code. */
async function execute(a: ExecuteArgs, log: Logger, p: Prepared): Promise<number> {
  const { profiles, trace } = p
  // Ranks that do not fit the fabric are the trace's fault: said before anything starts, not by each run.
  placeRanks(trace, topologyShape(p.topology).hosts, p.traceFile)
  if (a.seeds !== undefined) return seedSweep(a, p)
  const specs = profiles.map((_, i) => ({ profileIndex: i, seed: p.seed }))
  const workers = workersFor(a, specs.length)
  const inThread = runsInThread(a, p, specs)
  if (a.workers !== undefined) warnIfMoreThanCores(a.workers)
  // Ctrl-C or SIGTERM from here on: the runs stop and their partial reports are written (see interrupt.ts).
  const interrupt = new Interrupt('stopping the runs to write their partial reports', clearProgressBars).install()
  if (!a.quiet && !inThread) process.stderr.write(`aifab: running ${profiles.map((x) => x.name).join(', ')} on ${trace.name} on ${workers} worker thread${workers === 1 ? '' : 's'}\n`)
  try {
    const runs = await runAll(a, p, specs, true, {
      bars: true,
      started: (spec) => a.quiet || process.stderr.write(`aifab: running ${profiles[spec.profileIndex]!.name} on ${trace.name} ... `),
      done: (spec, run) => {
        const name = profiles[spec.profileIndex]!.name
        if (!a.quiet) process.stderr.write(inThread ? `${runLine(run)}\n` : `aifab: ${name}: ${runLine(run)}\n`)
        const s = run.report.summary
        log.info({ profile: name, wallSeconds: run.wallSeconds, events: s.events, packetHops: s.packetHops }, 'run done')
        return run
      },
    }, interrupt)
    const reports: Report[] = runs.map((r) => r.report)
    const violations: (Violation | null)[] = runs.map((r) => r.violation)

    // The files first: stdout may be a pipe whose reader stops early (the process then ends quietly) or is slow.
    if (a.out !== undefined) {
      const written = writeOutputs(a.out, renderOutputs(reports, a.formats))
      if (!a.quiet) process.stderr.write(`aifab: wrote ${written.join(', ')}\n`)
    }
    if (a.json) {
      // The runs are over: a signal while the document streams out ends the process, as it would any other.
      interrupt.uninstall()
      await writePieces(process.stdout, jsonText(reportDocument(reports)))
    } else {
      process.stdout.write(renderSummary(reports))
    }

    // One line for each run that went wrong (in a comparison, more than one may have); the worst decides the exit code.
    const kept = (what: string) => (a.out !== undefined ? `${what} is written` : a.json ? `${what} is printed` : 'its summary is printed (--out or --json for the report)')
    let code: number = EXIT.ok
    reports.forEach((r, i) => {
      const v = violations[i]
      if (r.outcome === 'cc-error') {
        process.stderr.write(`aifab: ${r.profile.name}: run stopped: ${r.error}; ${kept('the partial report')}\n`)
        code = EXIT.internal
      } else if (v !== null && v !== undefined) {
        process.stderr.write(`aifab: invariant violated (${r.profile.name}): ${v.invariant}: ${v.element}: ${v.detail}; ${kept('the report')}\n`)
        code = EXIT.internal
      } else if (r.outcome !== 'complete') {
        process.stderr.write(`aifab: ${r.profile.name}: run stopped (${r.outcome}) with ${r.incompleteOps.length} of ${r.trace.ops} ops unfinished; the report lists them\n`)
        if (code === EXIT.ok) code = EXIT.incomplete
      }
    })
    return code
  } finally {
    interrupt.uninstall()
  }
}

/**
 * `--seeds`: every profile once per seed; prints (and with --out writes
 * seeds.md, seeds.csv, seeds.json) each headline figure's mean and 95%
 * interval. Exits 1 on a broken invariant or a controller that stopped its
 * run, 3 if any run did not complete (Ctrl-C: the runs under way stop, the
 * rest are not started, and the figures cover the seeds that completed).
 */
async function seedSweep(a: ExecuteArgs, p: Prepared): Promise<number> {
  const { profiles, trace } = p
  const specs = a.seeds!.flatMap((seed) => profiles.map((_, i) => ({ profileIndex: i, seed })))
  const workers = workersFor(a, specs.length)
  if (a.workers !== undefined) warnIfMoreThanCores(a.workers)
  // Ctrl-C or SIGTERM: the runs under way stop, the rest are not started, and the summary covers the seeds that completed.
  const interrupt = new Interrupt('stopping the runs; the summary will cover the seeds that completed').install()
  if (!a.quiet && !runsInThread(a, p, specs)) process.stderr.write(`aifab: ${specs.length} runs (${profiles.length} profile${profiles.length === 1 ? '' : 's'} x ${a.seeds!.length} seeds) on ${workers} worker thread${workers === 1 ? '' : 's'}\n`)
  try {
    // Each run's seed record and any trouble, not its whole report: a long --seeds run holds no more than that.
    const runs = await runAll(a, p, specs, false, {
      bars: false,
      skipped: (spec) => {
        if (!a.quiet) process.stderr.write(`aifab: ${profiles[spec.profileIndex]!.name}, seed ${spec.seed}: not run (interrupted)\n`)
        return { seedRun: { seed: spec.seed, outcome: 'not-run', completionTimePs: null, efficiency: null, busbwGbps: null }, trouble: null }
      },
      done: (spec, run) => {
        const name = profiles[spec.profileIndex]!.name
        if (!a.quiet) process.stderr.write(`aifab: ${name}, seed ${spec.seed}: ${run.report.outcome}, ${run.report.summary.completionTimePs === null ? '-' : fmtTime(run.report.summary.completionTimePs)}\n`)
        const v = run.violation
        const trouble =
          run.report.outcome === 'cc-error' ? `${name}, seed ${spec.seed}: run stopped: ${run.report.error}` : v !== null ? `invariant violated (${name}, seed ${spec.seed}: ${v.invariant}: ${v.element}: ${v.detail})` : null
        return { seedRun: seedRun(run.report), trouble }
      },
    }, interrupt)
    const sweep: SeedRuns[] = profiles.map((x) => ({ profile: x.name, runs: [] }))
    runs.forEach((run, k) => sweep[specs[k]!.profileIndex]!.runs.push(run.seedRun))
    const broken = runs.find((r) => r.trouble !== null)?.trouble ?? null
    const md = renderSeedsSummary(trace.name, sweep)
    const doc = seedsDocument(trace.name, sweep)
    process.stdout.write(a.json ? toJson(doc) : md)
    if (a.out !== undefined) {
      const written = writeOutputs(a.out, { 'seeds.md': md, 'seeds.csv': renderSeedsCsv(sweep), 'seeds.json': toJson(doc) })
      if (!a.quiet) process.stderr.write(`aifab: wrote ${written.join(', ')}\n`)
    }
    if (broken !== null) {
      process.stderr.write(`aifab: ${broken}\n`)
      return EXIT.internal
    }
    return sweep.every((p) => p.runs.every((r) => r.outcome === 'complete')) ? EXIT.ok : EXIT.incomplete
  } finally {
    interrupt.uninstall()
  }
}
