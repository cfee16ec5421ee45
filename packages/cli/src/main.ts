import { InputError, inputWarnings } from '@aifab/core'
import { PLACEMENTS } from '@aifab/workload'
import { FLOWLET_PICKS, LOAD_BALANCING_MODES, SPRAY_ORDERS } from '@aifab/switch'
import { BUILTIN_CC, ENTROPY_POLICIES, RELIABILITY_MODES } from '@aifab/nic'
import { createLogger } from './logger.ts'
import yargs from 'yargs'
import { ALLREDUCE_ALGORITHMS, GEN_KINDS, genCommand, type GenArgs } from './gen-command.ts'
import { mixCommand } from './mix-command.ts'
import { importCommand } from './import-command.ts'
import { reportCommand } from './report-command.ts'
import { validateCommand } from './validate-command.ts'
import { EXIT, fromReportCommand, printInputWarnings, runCommand, type RunArgs } from './run-command.ts'
import { OUTPUT_FORMATS, type OutputFormat } from '@aifab/report'
import { PROFILE_FLAGS, type ProfileOverrides } from './load-config.ts'
import { parseSeeds } from './parse-seeds.ts'
import { sweepCommand } from './sweep-command.ts'
import { mergeCommand } from './merge-command.ts'
import { parseShard } from './sweep-grid.ts'
import { checkOutputPath } from './output.ts'
// The project's version: esbuild inlines it into the bundle, tsx reads it from the file.
import projectPackage from '../package.json' with { type: 'json' }

/** A usage error from yargs (unknown flag, missing argument): exit 2. */
class UsageError extends Error {}

const RUN_OPTIONS = {
  topology: { type: 'string', describe: 'topology JSON file (configs/topologies/); required' },
  seed: { type: 'number', default: 1, describe: 'seed of every random stream in the run (written into the report)' },
  out: { type: 'string', describe: 'directory to write the reports into' },
  format: { type: 'string', default: 'json,md', describe: 'what --out gets, comma-separated: json, md, csv (summary, flows, links, tiers), html (charts; those over time need --sample-us), hpcc-fct (HPCC\'s fct.txt)' },
  json: { type: 'boolean', default: false, describe: 'print the report JSON on stdout instead of the summary' },
  quiet: { type: 'boolean', default: false, describe: 'no progress lines on stderr' },
  seeds: { type: 'string', describe: 'run every profile once per seed (a range 1..20 or a list 1,5,9) and report means with 95% confidence intervals' },
  check: { type: 'boolean', default: true, describe: 'check invariants after each run (conservation, link rates, busbw, finite figures); --no-check skips them' },
  workers: { type: 'string', describe: 'worker threads for the runs (compare\'s profiles, the runs of --seeds), each with its own fabric (a run with a controller module gets a thread of its own); default: one per core, at most one per run. The outputs are the same bytes whatever it is' },
  'log-level': { type: 'string', default: 'warn', choices: ['debug', 'info', 'warn', 'error'], describe: 'log lines on stderr (readable in a terminal, JSON otherwise) or in --log-file' },
  'log-file': { type: 'string', describe: 'write the log (JSON lines) to this file instead of stderr' },
  'max-sim-time-us': { type: 'number', describe: 'stop when simulated time passes this (exit 3, partial report)' },
  'max-events': { type: 'number', describe: 'stop after this many events (exit 3, partial report)' },
  'sample-us': { type: 'number', describe: 'sample every flow\'s rate, window, RTT and U this often into the report (timeSeries)' },
  lb: { type: 'string', choices: LOAD_BALANCING_MODES, describe: 'override switch.loadBalancing' },
  'spray-order': { type: 'string', choices: SPRAY_ORDERS, describe: 'override switch.sprayOrder' },
  'adaptive-threshold': { type: 'number', describe: 'override switch.adaptiveThresholdBytes' },
  'flowlet-gap-ns': { type: 'number', describe: 'override switch.flowletGapNs' },
  'flowlet-pick': { type: 'string', choices: FLOWLET_PICKS, describe: 'override switch.flowletPick' },
  nic: { type: 'string', choices: RELIABILITY_MODES, describe: 'override nic.reliability' },
  entropy: { type: 'string', choices: ENTROPY_POLICIES, describe: 'override nic.entropyPolicy' },
  'entropy-values': { type: 'number', describe: 'override nic.entropyValues' },
  cc: { type: 'string', describe: 'override nic.congestionControl: a built-in (aifab cc list) or a path to a module (./my-cc.mjs)' },
  'cc-param': { type: 'string', array: true, describe: 'a congestion-control parameter, NAME=VALUE (repeatable)' },
  buffer: { type: 'string', describe: 'override switch.buffer: "static" or "shared:ALPHA[:RESERVE_BYTES]"' },
  'failover-delay-us': { type: 'number', describe: 'override switch.failoverDelayUs' },
  fault: { type: 'string', array: true, describe: 'add a fault (repeatable): down:LINK:AT_US[:UNTIL_US], rate:LINK:AT_US:GBPS, loss:LINK:AT_US:PROBABILITY[:TOWARDS] (TOWARDS: the end whose incoming frames lose, e.g. host1); LINK like leaf0-spine3' },
  trim: { type: 'string', choices: ['true', 'false'], describe: 'override switch.trimming' },
  int: { type: 'string', describe: 'override switch.int: "off" or BYTES_PER_RECORD,MAX_HOPS' },
  pfc: { type: 'string', describe: 'override switch.pfc: "off" or XOFF_BYTES,XON_BYTES,HEADROOM_BYTES' },
  'switch-latency-ns': { type: 'number', describe: 'override switch.forwardingLatencyNs' },
  'cut-through': { type: 'string', choices: ['true', 'false'], describe: 'override switch.cutThrough' },
  'nic-delay-ns': { type: 'number', describe: 'override nic.processingDelayNs' },
  ecn: { type: 'string', describe: 'override switch.ecn: "off" or KMIN_BYTES,KMAX_BYTES,PMAX' },
  'qps-per-connection': { type: 'number', describe: 'override nic.qpsPerConnection' },
  'window-bdp': { type: 'number', describe: 'override nic.windowBdp' },
  'ack-every': { type: 'number', describe: 'override nic.ackEveryPackets' },
  'rto-us': { type: 'number', describe: 'override nic.rtoUs' },
  'retry-limit': { type: 'number', describe: 'override nic.retryLimit' },
  'nak-interval-us': { type: 'number', describe: 'override nic.nakIntervalUs' },
  'reorder-window': { type: 'number', describe: 'override nic.reorderWindowPackets' },
  'reorder-nack-threshold': { type: 'number', describe: 'override nic.reorderNackThresholdPackets' },
} as const

type Argv = Record<string, unknown>

/** Options that may be given more than once; any other repeated one would arrive as an array. */
// yargs also sets each dashed option under its camel-case name.
const REPEATABLE = new Set(['traces', '_', 'fault', 'cc-param', 'ccParam', 'profile', 'dirs'])

function rejectRepeats(argv: Argv): void {
  for (const [k, v] of Object.entries(argv)) {
    if (!REPEATABLE.has(k) && Array.isArray(v)) throw new InputError(`--${k}`, '', `given ${v.length} times; expected one value`)
  }
}

function runArgs(argv: Argv, profiles: string[]): RunArgs {
  rejectRepeats(argv)
  if (argv.trace === undefined) throw new InputError('trace', '', 'expected a trace file argument')
  if (argv.topology === undefined) throw new InputError('--topology', '', 'expected a topology file')
  const seed = argv.seed as number
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InputError('--seed', '', `expected an integer in 0..4294967295, got ${seed}`)
  const overrides: ProfileOverrides = {}
  for (const flag of Object.keys(PROFILE_FLAGS) as (keyof typeof PROFILE_FLAGS)[]) {
    if (flag === 'cc-param') continue
    const v = argv[flag]
    if (v !== undefined) {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new InputError(`--${flag}`, '', 'expected a number')
      overrides[flag] = v as string | number
    }
  }
  const a: RunArgs = {
    trace: argv.trace as string,
    topology: argv.topology as string,
    profiles,
    seed,
    json: argv.json as boolean,
    quiet: argv.quiet as boolean,
    check: argv.check as boolean,
    formats: [],
    overrides,
  }
  if (argv.fault !== undefined) overrides.fault = (argv.fault as unknown[]).map(String)
  if (argv['cc-param'] !== undefined) overrides['cc-param'] = (argv['cc-param'] as unknown[]).map(String)
  if (argv.out !== undefined) a.out = argv.out as string
  if (argv.seeds !== undefined) a.seeds = parseSeeds(String(argv.seeds))
  const workers = parseWorkers(argv.workers)
  if (workers !== undefined) a.workers = workers
  a.formats = parseFormats(argv.format)
  for (const [flag, key] of [
    ['max-sim-time-us', 'maxSimTimeUs'],
    ['max-events', 'maxEvents'],
    ['sample-us', 'sampleUs'],
  ] as const) {
    const v = argv[flag]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InputError(`--${flag}`, '', `expected a positive number, got ${String(v)}`)
    a[key] = v
  }
  return a
}

/** What --from-report may be given with: how to output (and on how many threads), not what to run. */
const FROM_REPORT_FLAGS = new Set(['from-report', 'out', 'format', 'json', 'quiet', 'check', 'workers', 'log-level', 'log-file'])

/** `--workers N`: an integer >= 1, or undefined when not given. Read as a string, so that `abc` is named as given, not as NaN. */
function parseWorkers(v: unknown): number | undefined {
  if (v === undefined) return undefined
  const text = String(v)
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new InputError('--workers', '', `expected an integer >= 1, got ${text.trim() === '' ? 'no value' : JSON.stringify(text)}`)
  return Number(text)
}

/** `--format a,b`: the output formats, each known. */
function parseFormats(v: unknown): OutputFormat[] {
  const formats = String(v).split(',').map((s) => s.trim())
  for (const f of formats) if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) throw new InputError('--format', '', `expected a comma-separated list of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(f)}`)
  return formats as OutputFormat[]
}

/** System errors that mean the path given cannot be used (exit 2), unlike a full disk or an I/O error. */
const REFUSED_PATH_CODES = new Set(['EACCES', 'EEXIST', 'EISDIR', 'ELOOP', 'ENAMETOOLONG', 'ENOENT', 'ENOTDIR', 'EPERM', 'EROFS'])

/** The text given for `--flag` (as `--flag text` or `--flag=text`, dashed or camelCase), or undefined. */
function rawFlagValue(args: readonly string[], flag: string): string | undefined {
  const camel = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
  for (let i = 0; i < args.length; i++) {
    for (const f of [flag, camel]) {
      if (args[i] === `--${f}`) return args[i + 1]
      if (args[i]!.startsWith(`--${f}=`)) return args[i]!.slice(f.length + 3)
    }
  }
  return undefined
}

/** The commands, for telling a misspelled one from a stray argument. */
const COMMANDS = ['replay', 'compare', 'gen', 'mix', 'import', 'sweep', 'merge', 'report', 'validate', 'cc', 'help']

let stdoutGuarded = false

/** The aifab command line. Returns the process exit code; never throws. */
export async function main(args: string[]): Promise<number> {
  // A reader that stops early (`aifab ... | head -1`) is not an error: stop quietly.
  if (!stdoutGuarded) {
    stdoutGuarded = true
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(EXIT.ok)
      throw e
    })
  }
  let code: number = EXIT.ok
  const logger = (argv: Argv) => createLogger((argv['log-level'] as string) ?? 'warn', argv['log-file'] as string | undefined)
  try {
    const first = args[0]
    if (first !== undefined && !first.startsWith('-') && !COMMANDS.includes(first)) throw new UsageError(`unknown command ${JSON.stringify(first)}; expected one of ${COMMANDS.join(', ')}`)
    // "--bytes -64MiB": yargs would read the value as short flags (-6 -4 -M ...) and complain of those.
    args.forEach((arg, i) => {
      const flag = args[i - 1]
      if (/^-\d/.test(arg) && Number.isNaN(Number(arg)) && flag?.startsWith('--') && !flag.includes('=')) throw new InputError(flag, '', `expected a value that is not negative, got ${JSON.stringify(arg)}`)
    })
    await yargs(args)
      .scriptName('aifab')
      .usage('$0 <command> [options]\n\nPacket-level emulator of AI Ethernet fabrics.')
      .example('$0 compare traces/ring-allreduce-64r-64mib.json --topology configs/topologies/leaf-spine-8x8x8-400g.json --baseline configs/profiles/roce.json --candidate configs/profiles/ai-ethernet.json --out out --format json,md,csv,html', 'the flagship: RoCE against AI Ethernet, every report format')
      .example('$0 replay --help', 'every profile field as a flag')
      .command(
        'replay [trace]',
        'replay a trace on a fabric with one profile',
        (y) =>
          y
            .positional('trace', { type: 'string', describe: 'trace file (.json, .msgpack, htsim .cm, HPCC flow .txt)' })
            .options(RUN_OPTIONS)
            .option('profile', { type: 'string', describe: 'fabric profile JSON (configs/profiles/); required' })
            .option('from-report', { type: 'string', describe: 'run a saved report.json or compare.json again from what it records (refused if its trace or CC module changed)' })
            .example('$0 replay traces/ring-allreduce-64r-64mib.json --topology configs/topologies/leaf-spine-8x8x8-400g.json --profile configs/profiles/ai-ethernet.json', 'the flagship all-reduce on AI Ethernet')
            .example('$0 replay traces/incast-16to1-1mib.json --topology configs/topologies/leaf-spine-8x8x8-400g.json --profile configs/profiles/roce.json --pfc off --sample-us 5 --out out --format json,html', 'an override, a time series, and the HTML report')
            .example('$0 replay --from-report out/report.json --json', 'the same run again, byte for byte'),
        async (argv) => {
          if (argv['from-report'] !== undefined) {
            rejectRepeats(argv as Argv)
            if (argv.trace !== undefined) throw new InputError('--from-report', '', 'the report says what to run; drop the trace argument')
            // Anything that would change the run is the report's to say; only how to output it is the user's.
            const given = args.find((a) => /^--(no-)?[a-z-]+/.test(a) && !FROM_REPORT_FLAGS.has(a.replace(/^--(no-)?/, '').replace(/=.*$/, '')))
            if (given !== undefined) throw new InputError('--from-report', '', `the report says how to run; drop ${given.replace(/=.*$/, '')} (allowed: ${[...FROM_REPORT_FLAGS].map((f) => `--${f}`).join(', ')})`)
            const formats = parseFormats(argv.format)
            const workers = parseWorkers(argv.workers)
            code = await fromReportCommand(
              argv['from-report'] as string,
              { json: argv.json as boolean, quiet: argv.quiet as boolean, check: argv.check as boolean, formats, ...(argv.out !== undefined ? { out: argv.out as string } : {}), ...(workers !== undefined ? { workers } : {}) },
              logger(argv as Argv),
            )
            return
          }
          // --profile repeats only for compare.
          if (Array.isArray(argv.profile)) throw new InputError('--profile', '', `given ${argv.profile.length} times; expected one value (compare takes several)`)
          if (argv.profile === undefined) throw new InputError('--profile', '', 'expected a fabric profile file (or --from-report)')
          code = await runCommand(runArgs(argv as Argv, [argv.profile as string]), logger(argv as Argv))
        },
      )
      .command(
        'compare <trace>',
        'replay a trace with a baseline and one or more candidate profiles, side by side',
        (y) =>
          y
            .positional('trace', { type: 'string', describe: 'trace file (.json or .msgpack)' })
            .options(RUN_OPTIONS)
            .option('baseline', { type: 'string', describe: 'baseline profile (e.g. configs/profiles/roce.json)' })
            .option('candidate', { type: 'string', describe: 'candidate profile (e.g. configs/profiles/ai-ethernet.json)' })
            .option('profile', { type: 'string', array: true, describe: 'instead of --baseline/--candidate: two or more profiles, the first the baseline (repeatable)' })
            .example('$0 compare traces/ring-allreduce-64r-64mib.json --topology configs/topologies/leaf-spine-8x8x8-400g.json --baseline configs/profiles/roce.json --candidate configs/profiles/ai-ethernet.json --out out --format json,md,csv,html', 'the flagship comparison, with every report format')
            .example('$0 compare t.json --topology topo.json --profile roce.json --profile a.json --profile b.json', 'one column per profile, the first the baseline'),
        async (argv) => {
          const listed = (argv.profile as string[] | undefined) ?? []
          const pair = [argv.baseline, argv.candidate].filter((p): p is string => typeof p === 'string')
          if (listed.length > 0 && pair.length > 0) throw new InputError('--profile', '', 'give --profile (repeated) or --baseline and --candidate, not both')
          const profiles = listed.length > 0 ? listed : pair
          if (profiles.length < 2) throw new InputError(listed.length > 0 ? '--profile' : '--candidate', '', 'expected at least two profiles: --baseline and --candidate, or --profile twice or more')
          code = await runCommand(runArgs(argv as Argv, profiles), logger(argv as Argv))
        },
      )
      .command(
        'gen <kind>',
        'generate a trace',
        (y) =>
          y
            .positional('kind', { choices: [...GEN_KINDS, 'mix'] as const, describe: 'what to generate (mix: several traces as jobs on one fabric, as aifab mix)' })
            .option('algorithm', { choices: ALLREDUCE_ALGORITHMS, default: 'ring' as const, describe: 'allreduce: ring, halving-doubling (power-of-two ranks) or double-binary-tree' })
            .option('ranks', { type: 'number', describe: 'ranks (every kind but mix)' })
            .option('traces', { type: 'string', describe: 'mix: the trace files to put on one fabric as jobs, comma-separated' })
            .option('bytes', { type: 'string', describe: 'collectives: the size S as nccl-tests counts it; permutation, incast: bytes per flow (e.g. 64MiB)' })
            .option('load', { type: 'number', describe: 'background: offered load per rank, a fraction of the host link rate (needs --topology)' })
            .option('duration-us', { type: 'number', describe: 'background: how long flows keep arriving, microseconds' })
            .option('cdf', { type: 'string', describe: 'background: flow sizes, websearch (default), hadoop, or a file of "bytes cumulative%" lines' })
            .option('channels', { type: 'number', default: 1, describe: 'parallel rings, each its own queue pair (ring-allreduce)' })
            .option('chunk', { type: 'string', describe: 'ring and double-binary-tree all-reduce pipelining: each step sent in pieces of at most this size (e.g. 512KiB)' })
            .option('placement', { choices: PLACEMENTS, default: 'packed' as const, describe: 'rank -> host placement' })
            .option('hosts', { type: 'string', describe: 'explicit placement: the host of each rank, comma-separated (needs --topology)' })
            .option('topology', { type: 'string', describe: 'topology file, needed by --placement interleave|random and --hosts' })
            .option('seed', { type: 'number', default: 1, describe: 'seed of a random permutation, placement or background' })
            .option('name', { type: 'string' })
            .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'trace file to write (.json or .msgpack)' })
            .example('$0 gen ring-allreduce --ranks 64 --bytes 64MiB --placement interleave --topology configs/topologies/leaf-spine-8x8x8-400g.json -o traces/ring.json', 'the flagship all-reduce, every ring hop crossing a spine')
            .example('$0 gen allreduce --algorithm double-binary-tree --ranks 64 --bytes 64MiB --chunk 256KiB -o traces/dbt.json', 'NCCL-style trees, pipelined')
            .example('$0 gen background --ranks 64 --load 0.3 --duration-us 1000 --cdf websearch --topology configs/topologies/leaf-spine-8x8x8-400g.json -o traces/bg.json', 'Poisson background traffic at 30% load'),
        (argv) => {
          rejectRepeats(argv as Argv)
          if (argv.kind === 'mix') {
            if (argv.traces === undefined) throw new InputError('--traces', '', 'expected the trace files to mix, comma-separated')
            mixCommand(argv.traces.split(','), argv.output)
            return
          }
          if (argv.ranks === undefined) throw new InputError('--ranks', '', 'expected the number of ranks')
          for (const k of ['ranks', 'channels', 'seed'] as const) {
            const v = argv[k] as number
            if (!Number.isInteger(v) || v < (k === 'seed' ? 0 : 1)) throw new InputError(`--${k}`, '', `expected a positive integer, got ${v}`)
          }
          genCommand(argv as unknown as GenArgs)
        },
      )
      .command(
        'mix <traces..>',
        'put several traces on one fabric as jobs (ranks become hosts by each trace\'s placement); the report gives per-job figures',
        (y) =>
          y
            .positional('traces', { type: 'string', array: true, describe: 'trace files' })
            .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'trace file to write (.json or .msgpack)' })
            .example('$0 mix traces/ring.json traces/bg.json -o traces/mix.json', 'an all-reduce and background traffic as two jobs on one fabric'),
        (argv) => {
          rejectRepeats(argv as Argv)
          mixCommand(argv.traces as string[], argv.output as string)
        },
      )
      .command(
        'import <format> <file>',
        'convert another simulator\'s traffic file into an aifab trace (replay also reads .cm files directly)',
        (y) =>
          y
            .positional('format', { choices: ['htsim-cm', 'hpcc-flow'] as const, describe: 'htsim-cm: an htsim connection matrix; hpcc-flow: an HPCC / SimAI flow.txt' })
            .positional('file', { type: 'string', describe: 'the file to read' })
            .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'trace file to write (.json or .msgpack)' })
            .example('$0 import hpcc-flow flow.txt -o traces/flows.json', 'an HPCC / SimAI flow file')
            .example('$0 import htsim-cm traces/htsim-chain.cm -o traces/chain.json', 'an htsim connection matrix with triggers'),
        (argv) => {
          rejectRepeats(argv as Argv)
          importCommand(argv.format as 'htsim-cm' | 'hpcc-flow', argv.file as string, argv.output as string)
        },
      )
      .command(
        'sweep <file>',
        'run a parameter grid (traces or message sizes x profiles x overrides x seeds) on worker threads: one report per point and a summary table and chart',
        (y) =>
          y
            .positional('file', { type: 'string', describe: 'a sweep file ("format": "aifab.sweep"; see configs/sweeps/); paths in it are relative to it' })
            .option('workers', { type: 'string', describe: 'worker threads, each running one point at a time (default 1)' })
            .option('shard', { type: 'string', describe: 'run only slice i of N (1-based): the points whose index % N == i - 1; join the slices with aifab merge' })
            .option('out', { type: 'string', demandOption: true, describe: 'directory to write into: points/<id>/ per point, sweep.json, sweep.csv, sweep.md, sweep.html' })
            .option('format', { ...RUN_OPTIONS.format, describe: 'what each point\'s directory gets, as replay --format' })
            .option('quiet', { ...RUN_OPTIONS.quiet, describe: 'no progress lines on stderr' })
            .option('resume', { type: 'boolean', default: false, describe: 'run only the points an earlier run of the same sweep (same sweep file, input files, --format and aifab sources) into --out did not finish' })
            .example('$0 sweep configs/sweeps/small.json --workers 2 --out out/sweep', 'a small grid: 3 message sizes x 2 profiles x 2 seeds')
            .example('$0 sweep configs/sweeps/roce-vs-ai-ethernet-8-seeds.json --shard 2/4 --out out/shard2', 'the second of four slices (a job-array task); then aifab merge')
            .example('$0 sweep configs/sweeps/small.json --out out/sweep --format json,md,csv', 'every point also gets its CSV tables'),
        async (argv) => {
          rejectRepeats(argv as Argv)
          const workers = parseWorkers(argv.workers) ?? 1
          code = await sweepCommand({
            file: argv.file as string,
            workers,
            shard: argv.shard === undefined ? null : parseShard(String(argv.shard)),
            out: argv.out as string,
            formats: parseFormats(argv.format),
            quiet: argv.quiet as boolean,
            resume: argv.resume as boolean,
          })
        },
      )
      .command(
        'merge <dirs..>',
        'join the --out directories of a sweep\'s shards into one: byte for byte what the unsharded sweep writes',
        (y) =>
          y
            .positional('dirs', { type: 'string', array: true, describe: 'the shards\' --out directories' })
            .option('out', { type: 'string', demandOption: true, describe: 'directory to write the merged sweep into' })
            .option('quiet', RUN_OPTIONS.quiet)
            .example('$0 merge out/shard1 out/shard2 out/shard3 out/shard4 --out out/sweep', 'the four slices of a sweep, checked (one spec, every point once) and joined'),
        (argv) => {
          rejectRepeats(argv as Argv)
          code = mergeCommand(argv.dirs as string[], argv.out as string, argv.quiet as boolean)
        },
      )
      .command(
        'report <file>',
        're-render a saved run (report.json or compare.json) without simulating: the same bytes the run wrote',
        (y) =>
          y
            .positional('file', { type: 'string', describe: 'a report.json or compare.json written by replay or compare' })
            .option('format', RUN_OPTIONS.format)
            .option('out', { type: 'string', describe: 'directory to write into; without it the summary is printed' })
            .option('quiet', RUN_OPTIONS.quiet)
            .example('$0 report out/compare.json --format html --out out', 'the HTML report of a saved comparison'),
        (argv) => {
          rejectRepeats(argv as Argv)
          reportCommand(argv.file as string, parseFormats(argv.format), argv.out as string | undefined, argv.quiet as boolean)
        },
      )
      .command(
        'validate <file>',
        'check a trace, topology or profile without running anything',
        (y) =>
          y
            .positional('file', { type: 'string', describe: 'a trace (.json, .msgpack, .cm, .txt), a topology or a profile' })
            .option('topology', { type: 'string', describe: 'also check that a profile or trace fits this topology' })
            .example('$0 validate configs/profiles/roce.json --topology configs/topologies/leaf-spine-8x8x8-400g.json', 'a profile, against a topology')
            .example('$0 validate traces/htsim-chain.cm', 'an htsim connection matrix'),
        (argv) => {
          rejectRepeats(argv as Argv)
          process.stdout.write(validateCommand(argv.file as string, argv.topology as string | undefined) + '\n')
        },
      )
      .command(
        'cc [action]',
        'congestion control: `aifab cc list` lists the built-ins with their parameters and defaults',
        (y) => y.positional('action', { choices: ['list'] as const, default: 'list' as const, describe: 'what to do (list, the default)' }),
        () => {
          process.stdout.write(renderCcList())
        },
      )
      // Checked before any command runs.
      .middleware((argv) => {
        // yargs reads a number flag's "abc" as NaN, and an empty one (--seed=) as 0: name the text given instead.
        for (const [key, v] of Object.entries(argv)) {
          if (typeof v !== 'number' || /[A-Z]/.test(key)) continue
          const raw = rawFlagValue(args, key)
          if (Number.isNaN(v) || (raw !== undefined && raw.trim() === '')) throw new InputError(`--${key}`, '', `expected a number, got ${raw === undefined || raw.trim() === '' ? 'no value' : JSON.stringify(raw)}`)
        }
        // Formats are the files --out gets: asked for without it, they would be silently dropped.
        const formatGiven = rawFlagValue(args, 'format') !== undefined
        if (formatGiven && argv.out === undefined) {
          throw new InputError('--format', '', 'expected --out DIR with it: formats are the files written there (without --out the summary is printed, and --json prints the report)')
        }
        if (formatGiven && argv.seeds !== undefined) {
          throw new InputError('--format', '', 'does not apply with --seeds, whose --out gets seeds.md, seeds.csv and seeds.json (run one seed for its report formats)')
        }
        // Where output goes: a bad path found after a run would cost the run.
        if (typeof argv.out === 'string') checkOutputPath(argv.out, '--out', 'directory')
        if (typeof argv.output === 'string') checkOutputPath(argv.output, '--output', 'file')
        if (typeof argv['log-file'] === 'string') checkOutputPath(argv['log-file'], '--log-file', 'file')
      })
      .demandCommand(1, 'name a command: replay, compare, gen, mix, import, sweep, merge, report, validate or cc list')
      .strict()
      .help()
      .version(projectPackage.version)
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err
        throw new UsageError(msg)
      })
      .parseAsync()
    printInputWarnings()
  } catch (e) {
    // A refused input gets its one error line; warnings about it wait for an input that runs.
    inputWarnings.take()
    if (e instanceof InputError) {
      process.stderr.write(`aifab: ${e.message}\n`)
      return EXIT.badInput
    }
    if (e instanceof UsageError) {
      process.stderr.write(`aifab: ${e.message.replace(/\s*\n\s*/g, ' ')} (see aifab --help)\n`)
      return EXIT.badInput
    }
    // A path the system refused (a file under /proc, a folder made read-only mid-run): the path is the user's.
    const sys = e as NodeJS.ErrnoException
    if (typeof sys?.path === 'string' && typeof sys.syscall === 'string' && REFUSED_PATH_CODES.has(sys.code ?? '')) {
      process.stderr.write(`aifab: ${sys.path}: cannot ${sys.syscall}: ${sys.code}\n`)
      return EXIT.badInput
    }
    const err = e as Error
    process.stderr.write(`aifab: internal error: ${err?.message ?? String(e)}\n`)
    if (process.env.AIFAB_DEBUG) process.stderr.write(`${err?.stack}\n`)
    return EXIT.internal
  }
  return code
}

/** `aifab cc list`: each built-in, what it does, its parameters with defaults. */
function renderCcList(): string {
  const lines: string[] = []
  for (const def of Object.values(BUILTIN_CC)) {
    lines.push(`${def.name}: ${def.description}`)
    const needs = [def.needsEcn ? 'switch.ecn' : '', def.needsInt ? 'switch.int' : ''].filter(Boolean)
    if (needs.length) lines.push(`  needs: ${needs.join(', ')}`)
    for (const [k, p] of Object.entries(def.params)) lines.push(`  ${k.padEnd(20)} ${(Number.isInteger(p.default) ? String(p.default) : String(Number(p.default.toPrecision(6)))).padStart(10)}  ${p.description}`)
    lines.push('')
  }
  lines.push('Set one with --cc NAME --cc-param KEY=VALUE, or nic.congestionControl and nic.ccParams in a profile.')
  lines.push('A module of your own: --cc ./my-cc.mjs (see configs/cc/example-cc.mjs).')
  return lines.join('\n') + '\n'
}
