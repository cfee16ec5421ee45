// Ctrl-C and SIGTERM: a run stops at a slice boundary, exactly where an event
// limit at the same count would have stopped it, and the CLI writes the
// partial reports (outcome `interrupted`, exit 3) instead of dying with nothing.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildFabric, type Fabric } from '@aifab/topology'
import { buildReport, checkInvariants, toJson } from '@aifab/report'
import { genRingAllreduce, replay, replayYielding, type ReplayLimits, type ReplayResult } from '@aifab/workload'
import { afterAll, describe, expect, it } from 'vitest'
import { leafSpine, profile } from './helpers/scenario.ts'

const root = new URL('../', import.meta.url).pathname
const trace = genRingAllreduce({ ranks: 16, bytes: 4 << 20 })
const topo = leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 8 })

function fabric() {
  return buildFabric(topo, profile('roce'), 1)
}
function reported(f: Fabric, result: ReplayResult) {
  const report = buildReport({ trace, traceFile: 'test', fabric: f, result })
  return { report, violation: checkInvariants(report, f, trace, result) }
}
function run(limits: ReplayLimits) {
  const f = fabric()
  return reported(f, replay(f, trace, 'test', limits))
}

describe('stopping a run on request', () => {
  it('changes nothing when no stop comes: the same bytes as a run in one go', async () => {
    const plain = run({})
    expect(plain.report.outcome).toBe('complete')
    let asked = 0
    const f = fabric()
    const sliced = reported(f, await replayYielding(f, trace, 'test', { stopRequested: () => (asked++, false) }))
    expect(asked).toBeGreaterThan(3)
    expect(toJson(sliced.report)).toBe(toJson(plain.report))
  })

  it('is not taken once every op is done: the timers that drain after are part of a complete run', () => {
    let done = false
    const late = run({ onProgress: (completed, total) => (done = completed === total), stopRequested: () => done })
    expect(done).toBe(true)
    expect(toJson(late.report)).toBe(toJson(run({}).report))
  })

  it('stops at a slice boundary, as an event limit at that count would, with every packet accounted for', () => {
    let asked = 0
    const stopped = run({ stopRequested: () => ++asked === 3 })
    const r = stopped.report
    expect(r.outcome).toBe('interrupted')
    expect(stopped.violation).toBeNull()
    expect(r.conservation.ok).toBe(true)
    expect(r.incompleteOps.length).toBeGreaterThan(0)
    expect(r.incompleteOps[0]!.reason).toMatch(/interrupted/)
    const limited = run({ maxEvents: r.summary.events })
    expect(limited.report.outcome).toBe('event-limit')
    const same = (x: typeof r) => toJson({ ...x, outcome: null, incompleteOps: x.incompleteOps.map((o) => o.id), inputs: null })
    expect(same(r)).toBe(same(limited.report))
  })
})

describe('aifab on SIGINT and SIGTERM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aifab-interrupt-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Starts aifab, sends `signal` once its stderr shows the runs began (`started`), and resolves with its exit. */
  function interrupted(args: string[], signal: NodeJS.Signals, started = /aifab: running /): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(root, 'packages/cli/bin/aifab.js'), ...args], { cwd: root })
      let stderr = ''
      let sent = false
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        if (!sent && started.test(stderr)) {
          sent = true
          child.kill(signal)
        }
      })
      child.stdout.resume()
      child.on('close', (code) => resolve({ code, stderr }))
    })
  }
  const flagship = ['traces/ring-allreduce-64r-64mib.json', '--topology', 'configs/topologies/leaf-spine-8x8x8-400g.json']

  it('replay: Ctrl-C writes the partial report and exits 3', async () => {
    const out = join(dir, 'replay')
    const r = await interrupted(['replay', ...flagship, '--profile', 'configs/profiles/roce.json', '--out', out], 'SIGINT')
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(/SIGINT: stopping the runs/)
    expect(r.stderr).toMatch(/run stopped \(interrupted\) with \d+ of 8064 ops unfinished/)
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))
    expect(rep.outcome).toBe('interrupted')
    expect(rep.conservation.ok).toBe(true)
    expect(rep.summary.completionTimePs).toBeNull()
    // Whole files only, no temporary ones left.
    expect(readdirSync(out).sort()).toEqual(['report.json', 'summary.md'])
    // Where the signal came is not an input: --from-report refuses, and says what reproduces it.
    const again = spawnSync(process.execPath, [join(root, 'packages/cli/bin/aifab.js'), 'replay', '--from-report', join(out, 'report.json')], { cwd: root, encoding: 'utf8' })
    expect(again.status).toBe(2)
    expect(again.stderr.trim().split('\n')).toHaveLength(1)
    expect(rep.summary.events).toBeGreaterThan(0)
    expect(again.stderr).toContain(`(stopped on a signal: roce after ${rep.summary.events} events); rerun the original command with --max-events ${rep.summary.events}`)
  })

  it('compare on two worker threads: SIGTERM stops both runs, both partial reports are written', async () => {
    const out = join(dir, 'compare')
    const r = await interrupted(['compare', ...flagship, '--baseline', 'configs/profiles/roce.json', '--candidate', 'configs/profiles/ai-ethernet.json', '--workers', '2', '--out', out], 'SIGTERM')
    expect(r.code, r.stderr).toBe(3)
    const doc = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'))
    expect([doc.baseline.outcome, doc.candidate.outcome]).toEqual(['interrupted', 'interrupted'])
  })

  it('--seeds: the run under way stops, the rest are not started, and the summary covers the seed that completed', async () => {
    const out = join(dir, 'seeds')
    // One worker: seed 2 starts as seed 1's line is printed, so the signal finds it under way.
    const r = await interrupted(['replay', ...flagship, '--profile', 'configs/profiles/ai-ethernet.json', '--seeds', '1..5', '--workers', '1', '--out', out], 'SIGINT', /seed 1: /)
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(/seed 1: complete/)
    expect(r.stderr).toMatch(/seed 2: interrupted/)
    expect(r.stderr.match(/not run \(interrupted\)/g)).toHaveLength(3)
    const doc = JSON.parse(readFileSync(join(out, 'seeds.json'), 'utf8'))
    expect(doc.profiles[0].runs.map((x: { outcome: string }) => x.outcome)).toEqual(['complete', 'interrupted', 'not-run', 'not-run', 'not-run'])
    expect(readFileSync(join(out, 'seeds.md'), 'utf8')).toMatch(/complete runs +\| +1 \/ 5/)
  })
})
