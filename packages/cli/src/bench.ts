// `npm run bench`: fixed scenarios, each in a process of its own so its peak
// memory is its own; prints a table (scenario, simulated time, events,
// packet-hops, wall s, M packet-hops/s, peak RSS MB, and the whole `aifab
// replay` process a user runs on the same trace: wall s and peak RSS) and appends the rows to
// .bench-history.jsonl (git-ignored) so a developer sees regressions.
// `npm run bench -- --json` prints JSON instead; `npm run bench -- <text>`
// runs the scenarios whose name contains the text; `--large` adds the
// 8192-host fat tree; `--repeat N` runs each scenario N times (each in its own
// process) and keeps the fastest, with the median beside it, since a shared
// machine swings a run by up to 2x. `--ab REV` compares this working tree with
// revision REV, the two side by side (see bench-ab.ts). Timing lives here,
// never in unit tests.
import { spawnSync, execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseByteSize } from '@aifab/core'
import { genAlltoall, genPermutation, genRingAllreduce, placementOf, type Trace } from '@aifab/workload'
import { loadProfile, loadTopology, type ProfileOverrides } from './load-config.ts'
import { topologyShape } from '@aifab/topology'
import { markdownTable } from '@aifab/report'
import { runScenario } from './run-scenario.ts'
import { writeTraceFile } from './write-trace-file.ts'
import { AbInputError, runAb, type AbSummary } from './bench-ab.ts'

interface Case {
  name: string
  topology: string
  profile: string
  overrides?: ProfileOverrides
  trace: (leaves: number, hostsPerLeaf: number) => Trace
  large?: boolean
}

const K8 = 'configs/topologies/fat-tree-k8-100g.json'
const AIE = 'configs/profiles/ai-ethernet.json'
const ROCE = 'configs/profiles/roce.json'
const perm = (ranks: number, bytes: number) => () => genPermutation({ ranks, bytes, seed: 1 })

const cases: Case[] = [
  // htsim on this kind of machine, single thread: 0.47 s for this one, 4.5 s with 16 MB flows.
  { name: '128-host permutation, 2 MB flows, spray + reorder, k=8 fat tree, 100G', topology: K8, profile: AIE, overrides: { lb: 'spray' }, trace: perm(128, 2_000_000) },
  { name: '128-host permutation, 2 MB flows, RoCE (ecmp + go-back-n), k=8 fat tree, 100G', topology: K8, profile: ROCE, trace: perm(128, 2_000_000) },
  { name: '128-host permutation, 16 MB flows, spray + reorder, k=8 fat tree, 100G', topology: K8, profile: AIE, overrides: { lb: 'spray' }, trace: perm(128, 16_000_000) },
  // Telemetry and PFC, then a congestion controller on every ACK: their cost against the case above.
  { name: '128-host permutation, 16 MB flows, spray + reorder + INT + PFC, k=8, 100G', topology: K8, profile: AIE, overrides: { lb: 'spray', int: '8,5', pfc: '131072,98304,32768' }, trace: perm(128, 16_000_000) },
  { name: '128-host permutation, 16 MB flows, spray + reorder + INT + PFC + HPCC, k=8, 100G', topology: K8, profile: AIE, overrides: { lb: 'spray', int: '8,5', pfc: '131072,98304,32768', cc: 'hpcc' }, trace: perm(128, 16_000_000) },
  // htsim: 29 s and 326 MB for these 16,256 flows.
  { name: '128-host all-to-all, 128 KB per pair, spray + reorder, k=8, 100G', topology: K8, profile: AIE, overrides: { lb: 'spray' }, trace: () => genAlltoall({ ranks: 128, bytes: 128_000 * 128 }) },
  // The speed issue's yardstick (htsim: 18.6 s, 140 MB).
  { name: '1024-host permutation, 2 MB flows, spray + reorder, k=16 fat tree, 100G', topology: 'configs/topologies/fat-tree-k16-100g.json', profile: AIE, overrides: { lb: 'spray' }, trace: perm(1024, 2_000_000) },
  // Many queue pairs' RTO timers far ahead of dense packet events: once the calendar's width followed the timers and this ran 2x slower.
  {
    name: '64-rank all-to-all, 8 MiB per rank, roce (ecmp + go-back-n + PFC), 8x8x8 leaf-spine, 400G',
    topology: 'configs/topologies/leaf-spine-8x8x8-400g.json',
    profile: ROCE,
    trace: () => genAlltoall({ ranks: 64, bytes: 8 << 20 }),
  },
  {
    name: '64-rank ring all-reduce, 64 MiB, roce (ecmp + go-back-n), 400G',
    topology: 'configs/topologies/leaf-spine-8x8x8-400g.json',
    profile: ROCE,
    trace: (l, h) => genRingAllreduce({ ranks: 64, bytes: parseByteSize('64MiB'), placement: placementOf('interleave', 64, l, h) }),
  },
  { name: '8192-host permutation, 2 MB flows, spray + reorder, k=32 fat tree, 100G', topology: 'configs/topologies/fat-tree-k32-100g.json', profile: AIE, overrides: { lb: 'spray' }, trace: perm(8192, 2_000_000), large: true },
  // Scale in flows rather than hosts: a million queue pairs, one 4 KiB packet each (a MoE all-to-all's shape).
  { name: '1024-host all-to-all, 4 KiB per pair (1M flows), adaptive + reorder, k=16 fat tree, 100G', topology: 'configs/topologies/fat-tree-k16-100g.json', profile: AIE, trace: () => genAlltoall({ ranks: 1024, bytes: 4096 * 1024 }), large: true },
]

interface Row {
  scenario: string
  simulatedUs: number
  events: number
  packetHops: number
  coldWallSeconds: number
  warmWallSeconds: number | null
  mPacketHopsPerSecond: number
  peakRssMb: number
  outcome: string
  /** With --repeat: the median over the runs of the wall time reported (warm, or cold for a large case). */
  medianWallSeconds?: number
  /** The whole `aifab replay` process a user runs on the same trace (start-up, checks, report): wall time (fastest of the repeats) and that run's peak RSS. */
  cliWallSeconds?: number
  cliPeakRssMb?: number
}

/** The CLI's entry: what `npx aifab` runs (the bundle, which `npm run bench` builds first, so a run does not pay for tsx). */
const AIFAB_BIN = fileURLToPath(new URL('../bin/aifab.js', import.meta.url))

/**
 * Times one `aifab replay` of case `c` on `traceFile`, as a user would run it
 * (invariant checks on, the summary printed), from process start to exit;
 * a wrapper reports the process's peak RSS as it exits.
 */
function timeCli(c: Case, traceFile: string): { wallSeconds: number; peakRssMb: number } {
  const flags = Object.entries(c.overrides ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).flatMap((x) => [`--${k}`, String(x)]))
  const wrapper = `process.on('exit', () => process.stderr.write('\\nbench-peak-rss-kb ' + process.resourceUsage().maxRSS + '\\n')); await import(${JSON.stringify(AIFAB_BIN)})`
  const args = ['--input-type=module', '-e', wrapper, '--', 'aifab', 'replay', traceFile, '--topology', c.topology, '--profile', c.profile, ...flags, '--quiet']
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 })
  const wallSeconds = (performance.now() - t0) / 1000
  const rss = /bench-peak-rss-kb (\d+)/.exec(r.stderr)
  if (r.status !== 0 || rss === null) throw new Error(`${c.name}: aifab replay exited ${r.status}: ${r.stderr.trim()}`)
  return { wallSeconds, peakRssMb: Number(rss[1]) / 1024 }
}

/** One scenario, in this process: a cold run (what a user's single run pays, JIT included), then a warm one unless it is large. */
function runOne(c: Case): Row {
  const topology = loadTopology(c.topology)
  const profile = loadProfile(c.profile, c.overrides ?? {}, topology)
  const shape = topologyShape(topology)
  const trace = c.trace(shape.edges, shape.hostsPerEdge)
  // Invariant checks walk the whole report: speed work measures the simulation without them.
  const run = () => runScenario({ trace, traceFile: `bench:${c.name}`, topology, profile, seed: 1, check: false })
  const cold = run()
  const warm = c.large ? null : run()
  const s = (warm ?? cold).report.summary
  const wall = (warm ?? cold).wallSeconds
  return {
    scenario: c.name,
    simulatedUs: (s.completionTimePs ?? 0) / 1e6,
    events: s.events,
    packetHops: s.packetHops,
    coldWallSeconds: cold.wallSeconds,
    warmWallSeconds: warm?.wallSeconds ?? null,
    mPacketHopsPerSecond: s.packetHops / wall / 1e6,
    // The kernel's high-water mark for this process, in KiB.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    outcome: (warm ?? cold).report.outcome,
  }
}

const args = process.argv.slice(2)
const one = args.indexOf('--one')
const traceOut = args.indexOf('--write-trace')
if (one >= 0) {
  process.stdout.write(JSON.stringify(runOne(cases[Number(args[one + 1])]!)))
} else if (traceOut >= 0) {
  // The case's trace as a file, for the CLI to read.
  const c = cases[Number(args[traceOut + 1])]!
  const shape = topologyShape(loadTopology(c.topology))
  writeTraceFile(c.trace(shape.edges, shape.hostsPerEdge), args[traceOut + 2]!)
} else {
  const json = args.includes('--json')
  const large = args.includes('--large')
  const repeatAt = args.indexOf('--repeat')
  const abAt = args.indexOf('--ab')
  const ab = abAt >= 0 ? args[abAt + 1] : undefined
  // Pairs side by side: six is the fewest for which all of them one way passes the sign test (p = 0.03).
  const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : ab !== undefined ? 6 : 1
  if (!Number.isInteger(repeat) || repeat < 1) {
    process.stderr.write(`bench: --repeat: expected a positive integer, got ${args[repeatAt + 1]}\n`)
    process.exit(2)
  }
  if (abAt >= 0 && (ab === undefined || ab.startsWith('--'))) {
    process.stderr.write('bench: --ab: expected a revision to compare with, such as HEAD or main~3\n')
    process.exit(2)
  }
  // The values of --repeat and --ab are not the filter (an absent flag's index is -1: no value to skip).
  const filter = args.find((a, k) => !a.startsWith('--') && (repeatAt < 0 || k !== repeatAt + 1) && (abAt < 0 || k !== abAt + 1))
  if (ab !== undefined) {
    const indices = cases.flatMap((c, i) => ((c.large && !large) || (filter !== undefined && !c.name.includes(filter)) ? [] : [i]))
    const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim()
    const show = (s: AbSummary) => {
      if (!json) process.stderr.write(`bench: ${s.scenario}: ${s.medianRatio.toFixed(3)} (${s.verdict})\n`)
    }
    let summaries: AbSummary[]
    try {
      summaries = await runAb(root, ab, indices, cases.map((c) => c.name), repeat, show)
    } catch (e) {
      if (!(e instanceof AbInputError)) throw e
      process.stderr.write(`bench: ${e.message}\n`)
      process.exit(2)
    }
    if (json) {
      process.stdout.write(JSON.stringify(summaries, null, 2) + '\n')
    } else {
      const few = repeat < 6 ? ' (fewer than 6: too few for the sign test to call anything faster or slower)' : ''
      console.log(`this tree against ${ab}, ${repeat} pair${repeat === 1 ? '' : 's'} per scenario${few}, each pair side by side; ratio = this tree's wall / ${ab}'s (below 1: faster)`)
      const head = ['scenario', `${ab} fastest s`, 'this tree fastest s', 'ratio, median', 'ratios, min-max', 'sign test p', 'verdict', 'same events and hops']
      const body = summaries.map((s) => [s.scenario, s.baseFastest.toFixed(3), s.workFastest.toFixed(3), s.medianRatio.toFixed(3), `${s.ratios[0]!.toFixed(3)}-${s.ratios[s.ratios.length - 1]!.toFixed(3)}`, s.signTestP.toFixed(3), s.verdict, s.sameWork ? 'yes' : 'NO'])
      console.log(markdownTable(head, body).join('\n'))
    }
    process.exit(0)
  }
  const rows: Row[] = []
  const wallOf = (r: Row) => r.warmWallSeconds ?? r.coldWallSeconds
  const traces = mkdtempSync(join(tmpdir(), 'aifab-bench-'))
  try {
    cases.forEach((c, i) => {
      if ((c.large && !large) || (filter !== undefined && !c.name.includes(filter))) return
      const self = (...more: string[]) => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...more], { encoding: 'utf8', maxBuffer: 1 << 20 })
        if (r.status !== 0) throw new Error(`${c.name}: ${r.stderr}`)
        return r.stdout
      }
      const traceFile = join(traces, `case-${i}.json`)
      self('--write-trace', String(i), traceFile)
      const runs: Row[] = []
      const cli: ReturnType<typeof timeCli>[] = []
      for (let k = 0; k < repeat; k++) {
        runs.push(JSON.parse(self('--one', String(i))) as Row)
        cli.push(timeCli(c, traceFile))
      }
      const sorted = [...runs].sort((a, b) => wallOf(a) - wallOf(b))
      const best = sorted[0]!
      if (repeat > 1) best.medianWallSeconds = wallOf(sorted[Math.floor((sorted.length - 1) / 2)]!)
      const fastestCli = cli.sort((a, b) => a.wallSeconds - b.wallSeconds)[0]!
      best.cliWallSeconds = fastestCli.wallSeconds
      best.cliPeakRssMb = fastestCli.peakRssMb
      rows.push(best)
      if (!json) process.stderr.write(`bench: ${c.name} done\n`)
    })
  } finally {
    rmSync(traces, { recursive: true, force: true })
  }
  let commit = ''
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    // Not a git checkout: the history line goes without a commit.
  }
  appendFileSync('.bench-history.jsonl', JSON.stringify({ date: new Date().toISOString(), commit, rows }) + '\n')
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n')
  } else {
    const head = ['scenario', 'simulated', 'events', 'packet-hops', repeat > 1 ? `wall s (cold / warm), fastest of ${repeat}` : 'wall s (cold / warm)', ...(repeat > 1 ? ['median'] : []), 'M packet-hops/s', 'peak RSS MB', 'aifab replay: s, MB']
    const body = rows.map((r) => [
      r.scenario,
      `${(r.simulatedUs / 1000).toFixed(3)} ms`,
      String(r.events),
      String(r.packetHops),
      `${r.coldWallSeconds.toFixed(2)} / ${r.warmWallSeconds === null ? '-' : r.warmWallSeconds.toFixed(2)}`,
      ...(repeat > 1 ? [r.medianWallSeconds!.toFixed(2)] : []),
      r.mPacketHopsPerSecond.toFixed(2),
      r.peakRssMb.toFixed(0),
      `${r.cliWallSeconds!.toFixed(2)}, ${r.cliPeakRssMb!.toFixed(0)}`,
    ])
    console.log(markdownTable(head, body).join('\n'))
    const events = (name: string) => rows.find((r) => r.scenario.startsWith(name))?.events
    const aie = events('128-host permutation, 2 MB flows, spray')
    const roce = events('128-host permutation, 2 MB flows, RoCE')
    if (aie !== undefined && roce !== undefined) console.log(`RoCE / AI Ethernet events on the same permutation: ${(roce / aie).toFixed(2)}x`)
  }
}
