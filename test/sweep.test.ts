// Sweeps across worker threads and shards: `aifab sweep` and `aifab merge`
// through the real bin. The result must not depend on the worker count or on
// sharding (byte for byte, every file), each point's figures must be its own
// report's, and bad input must exit 2 with one line before any point runs.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import type { Report, SweepDocument } from '@aifab/report'
import { expandGrid, parseSweepSpec } from '@aifab/cli'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = new URL('../', import.meta.url).pathname
const bin = join(root, 'packages/cli/bin/aifab.js')
const sweepFile = 'test/fixtures/sweep-tiny.json'
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
let dir = ''

function aifab(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Every file under `d`, by path relative to it, with its bytes. */
function tree(d: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (p: string) => {
    for (const e of readdirSync(p).sort()) {
      const f = join(p, e)
      if (statSync(f).isDirectory()) walk(f)
      else out.set(relative(d, f), readFileSync(f, 'latin1'))
    }
  }
  walk(d)
  return out
}

function expectSameTree(a: string, b: string): void {
  const ta = tree(a)
  const tb = tree(b)
  expect([...tb.keys()]).toEqual([...ta.keys()])
  for (const [f, bytes] of ta) expect(tb.get(f) === bytes, `${f} differs between ${a} and ${b}`).toBe(true)
}

/** A sweep file in the temporary directory: the tiny fixture with fields replaced (paths made absolute). */
function sweepWith(patch: Record<string, unknown>, name: string): string {
  const spec = JSON.parse(readFileSync(join(root, sweepFile), 'utf8'))
  spec.topology = join(root, 'test/fixtures/leaf-spine-2x2x4.json')
  spec.profiles = spec.profiles.map((p: string) => join(root, 'test/fixtures', p))
  const f = join(dir, name)
  writeFileSync(f, JSON.stringify({ ...spec, ...patch }, null, 2))
  return f
}

const out = (name: string) => join(dir, name)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aifab-sweep-'))
  const r = aifab(['sweep', sweepFile, '--out', out('w1')])
  expect(r.code, r.stderr).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('aifab sweep', () => {
  it('runs every point of the grid, each with its own report, and summarizes them from those reports', () => {
    const doc = JSON.parse(readFileSync(join(out('w1'), 'sweep.json'), 'utf8')) as SweepDocument
    expect(doc.points).toBe(8)
    expect(doc.shard).toBeNull()
    expect(doc.axes.map((a) => a.name)).toEqual(['bytes', 'profile', 'seed'])
    expect(doc.inputs.map((i) => i.file)).toEqual(['configs/profiles/ai-ethernet.json', 'configs/profiles/roce.json', 'test/fixtures/leaf-spine-2x2x4.json'])
    expect(doc.results.map((p) => p.label)).toEqual([
      'bytes=256KiB roce seed=1', 'bytes=256KiB roce seed=2', 'bytes=256KiB ai-ethernet seed=1', 'bytes=256KiB ai-ethernet seed=2',
      'bytes=1MiB roce seed=1', 'bytes=1MiB roce seed=2', 'bytes=1MiB ai-ethernet seed=1', 'bytes=1MiB ai-ethernet seed=2',
    ])
    for (const p of doc.results) {
      const r = JSON.parse(readFileSync(join(out('w1'), 'points', p.id, 'report.json'), 'utf8')) as Report
      expect(existsSync(join(out('w1'), 'points', p.id, 'summary.md'))).toBe(true)
      expect(r.seed).toBe(Number(p.label.split('seed=')[1]))
      expect(r.profile.name).toBe(p.label.split(' ')[1])
      expect(r.trace.collective!.bytes).toBe(p.label.startsWith('bytes=1MiB') ? 1 << 20 : 1 << 18)
      expect(r.inputs!.profile.file).toBe(`configs/profiles/${r.profile.name}.json`)
      expect(p).toMatchObject({ outcome: r.outcome, completionTimePs: r.summary.completionTimePs, efficiency: r.summary.efficiency, busbwGbps: r.summary.busbwGbps, events: r.summary.events, packetHops: r.summary.packetHops, drops: r.summary.drops })
    }
    // The seeds are an axis: a mean and interval per (bytes, profile), over that group's own points.
    const g = doc.overSeeds!.find((x) => x.label === 'bytes=1MiB roce')!
    const effs = doc.results.filter((p) => p.label.startsWith('bytes=1MiB roce')).map((p) => p.efficiency!)
    expect(g.efficiency!.mean).toBeCloseTo((effs[0]! + effs[1]!) / 2, 12)
    expect(readFileSync(join(out('w1'), 'sweep.csv'), 'utf8').split('\n')[1]).toMatch(/^p0000,262144,roce,1,complete,/)
  })

  it('a point is the run aifab replay makes of the same trace, profile and seed', () => {
    const trace = join(dir, 'ring-1mib.json')
    expect(aifab(['gen', 'ring-allreduce', '--ranks', '8', '--bytes', '1MiB', '--placement', 'interleave', '--topology', 'test/fixtures/leaf-spine-2x2x4.json', '-o', trace]).code).toBe(0)
    const r = aifab(['replay', trace, '--topology', 'test/fixtures/leaf-spine-2x2x4.json', '--profile', 'configs/profiles/ai-ethernet.json', '--seed', '2', '--json', '--quiet'])
    expect(r.code, r.stderr).toBe(0)
    const replayed = JSON.parse(r.stdout) as Report
    const point = JSON.parse(readFileSync(join(out('w1'), 'points/p0007/report.json'), 'utf8')) as Report
    // The same but for where the trace came from: a file there, the generator here.
    expect(point.trace.file).toBe('gen:kind=ring-allreduce,ranks=8,bytes=1MiB,placement=interleave')
    expect({ ...point, trace: { ...point.trace, file: '', sha256: '' } }).toEqual({ ...replayed, trace: { ...replayed.trace, file: '', sha256: '' } })
    // Such a point has no trace file to run again from: said so, with what to do instead.
    const again = aifab(['replay', '--from-report', join(out('w1'), 'points/p0007/report.json')])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/^aifab: .*p0007\/report\.json: trace\.file: expected a trace file; this run's trace was generated by a sweep \(gen:kind=ring-allreduce,.*\): write it with aifab gen and those values, then replay that file\n$/)
  })

  it('--workers 2 writes the same bytes as --workers 1; progress goes to stderr, sweep.md to stdout', () => {
    const r = aifab(['sweep', sweepFile, '--workers', '2', '--out', out('w2')])
    expect(r.code, r.stderr).toBe(0)
    expectSameTree(out('w1'), out('w2'))
    expect(r.stdout).toBe(readFileSync(join(out('w2'), 'sweep.md'), 'utf8'))
    const progress = r.stderr.split('\n').filter((l) => /^aifab: \[\d\/8\]/.test(l))
    expect(progress).toHaveLength(8)
    expect(progress).toContainEqual(expect.stringMatching(/^aifab: \[\d\/8\] p0005 bytes=1MiB roce seed=2: complete, \d+\.\d\d us$/))
    expect(r.stderr).toMatch(/^aifab: 8 points in \d+\.\d s wall on 2 worker threads; wrote /m)
    for (const f of ['sweep.json', 'sweep.md', 'sweep.csv', 'sweep.html']) expect(readFileSync(join(out('w2'), f), 'utf8')).not.toMatch(/worker|wall/)
  })

  it('--shard 1/2 and 2/2 (one from the TypeScript sources), merged, equal the unsharded sweep byte for byte', () => {
    const s1 = aifab(['sweep', sweepFile, '--shard', '1/2', '--out', out('s1'), '--quiet'])
    expect(s1.code, s1.stderr).toBe(0)
    expect(s1.stderr).toBe('')
    const s2 = aifab(['sweep', sweepFile, '--shard', '2/2', '--workers', '2', '--out', out('s2'), '--quiet'], { AIFAB_FROM_SOURCE: '1' })
    expect(s2.code, s2.stderr).toBe(0)
    const shard1 = JSON.parse(readFileSync(join(out('s1'), 'sweep.json'), 'utf8')) as SweepDocument
    expect(shard1.shard).toEqual({ index: 1, count: 2 })
    expect(shard1.results.map((p) => p.id)).toEqual(['p0000', 'p0002', 'p0004', 'p0006'])
    expect(readdirSync(join(out('s2'), 'points'))).toEqual(['p0001', 'p0003', 'p0005', 'p0007'])
    const m = aifab(['merge', out('s2'), out('s1'), '--out', out('merged')])
    expect(m.code, m.stderr).toBe(0)
    expectSameTree(out('w1'), out('merged'))
  })

  it('--resume after an interrupted run runs only the points it had not finished, and writes the same bytes', () => {
    // What a job killed at its time limit leaves: no summary, one point never started, one whose
    // reports were being written; and points another sweep (spec hash) or another aifab (code hash)
    // computed, or whose record does not describe it.
    cpSync(out('w1'), out('resumed'), { recursive: true })
    for (const f of ['sweep.json', 'sweep.csv', 'sweep.md', 'sweep.html']) rmSync(join(out('resumed'), f))
    rmSync(join(out('resumed'), 'points/p0003'), { recursive: true })
    rmSync(join(out('resumed'), 'points/p0006/summary.md'))
    const edit = (id: string, from: RegExp, to: string) => {
      const record = join(out('resumed'), 'points', id, 'point.json')
      const was = readFileSync(record, 'utf8')
      expect(was).toMatch(from)
      writeFileSync(record, was.replace(from, to))
    }
    edit('p0005', /"specSha256": "[0-9a-f]/, '"specSha256": "x')
    edit('p0001', /"codeSha256": "[0-9a-f]/, '"codeSha256": "x')
    edit('p0007', /"label": "bytes=1MiB ai-ethernet seed=2"/, '"label": "bytes=1MiB ai-ethernet seed=3"')
    const r = aifab(['sweep', sweepFile, '--out', out('resumed'), '--resume'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^aifab: sweep tiny: 8 of 8 points on 1 worker thread; 3 finished by an earlier run, 5 to run\n/)
    expect(r.stderr.split('\n').filter((l) => /^aifab: \[\d\/8\]/.test(l)).map((l) => l.split(' ')[2])).toEqual(['p0001', 'p0003', 'p0005', 'p0006', 'p0007'])
    expectSameTree(out('w1'), out('resumed'))
    // Another --format is another sweep's output: nothing is reused.
    const other = aifab(['sweep', sweepFile, '--out', out('resumed'), '--resume', '--format', 'json', '--quiet'])
    expect(other.code, other.stderr).toBe(0)
    const again = aifab(['sweep', sweepFile, '--out', out('resumed'), '--resume', '--format', 'json'])
    expect(again.stderr).toMatch(/8 finished by an earlier run, 0 to run\n/)
  })

  it('a CDF file in a gen block is relative to the sweep file and hashed with it: --resume reruns when it changes', () => {
    const sub = join(dir, 'cdf-sweep')
    mkdirSync(sub)
    const cdf = join(sub, 'sizes.cdf')
    writeFileSync(cdf, '1000 0\n10000 50\n100000 100\n')
    const f = join(sub, 'bg.json')
    writeFileSync(f, JSON.stringify({ format: 'aifab.sweep', version: 1, topology: join(root, 'test/fixtures/leaf-spine-2x2x4.json'), profiles: [join(root, 'configs/profiles/roce.json')], gen: { kind: 'background', ranks: 8, load: 0.3, durationUs: 20, cdf: 'sizes.cdf' } }))
    // Run from the repository root, not the sweep's folder.
    const first = aifab(['sweep', f, '--out', out('cdf'), '--quiet'])
    expect(first.code, first.stderr).toBe(0)
    const inputs = (JSON.parse(readFileSync(join(out('cdf'), 'sweep.json'), 'utf8')) as { inputs: { file: string }[] }).inputs
    expect(inputs.map((i) => resolve(root, i.file))).toContain(cdf)
    writeFileSync(cdf, '1000 0\n20000 50\n200000 100\n')
    const again = aifab(['sweep', f, '--out', out('cdf'), '--resume'])
    expect(again.code, again.stderr).toBe(0)
    // The point ran again: none was kept from the run with the other CDF.
    expect(again.stderr).not.toMatch(/finished by an earlier run/)
    expect(again.stderr).toMatch(/^aifab: \[1\/1\] p0000 roce: complete/m)
  })

  it('points with a controller module that keeps state give the same bytes on one worker or two', () => {
    // Each such point gets a thread that has not loaded the module: which points a worker ran before does not matter.
    const f = sweepWith({ seeds: '1..3', overrides: { cc: join(root, 'test/fixtures/cc/counting.cjs') } }, 'counting.json')
    const one = aifab(['sweep', f, '--out', out('counting-1'), '--quiet'])
    expect(one.code, one.stderr).toBe(0)
    expect(aifab(['sweep', f, '--workers', '2', '--out', out('counting-2'), '--quiet']).code).toBe(0)
    expectSameTree(out('counting-1'), out('counting-2'))
  })

  it('merge refuses shards that are incomplete, overlap, or come from another sweep or --format', () => {
    const one = aifab(['merge', out('s1'), '--out', out('m-bad')])
    expect(one.code).toBe(2)
    expect(one.stderr).toBe('aifab: merge: 4 of 8 points are in none of the directories given (p0001, p0003, p0005, p0007); expected the --out directories of every shard\n')
    const twice = aifab(['merge', out('s1'), out('w1'), '--out', out('m-bad')])
    expect(twice.code).toBe(2)
    expect(twice.stderr).toBe(`aifab: ${out('w1')}/sweep.json: results[0]: point p0000 is also in ${out('s1')}; expected each point in exactly one shard\n`)
    const other = sweepWith({ seeds: '1..2', name: 'tiny', overrides: { 'window-bdp': 2 } }, 'other.json')
    expect(aifab(['sweep', other, '--shard', '2/2', '--out', out('other'), '--quiet']).code).toBe(0)
    const mixed = aifab(['merge', out('s1'), out('other'), '--out', out('m-bad')])
    expect(mixed.code).toBe(2)
    expect(mixed.stderr).toMatch(new RegExp(`^aifab: ${out('other')}/sweep\\.json: specSha256: expected [0-9a-f]{64} as in ${out('s1')}/sweep\\.json: shards of one sweep .*; got [0-9a-f]{64}\\n$`))
    expect(aifab(['sweep', sweepFile, '--shard', '2/2', '--format', 'json', '--out', out('s2-json'), '--quiet']).code).toBe(0)
    const formats = aifab(['merge', out('s1'), out('s2-json'), '--out', out('m-bad')])
    expect(formats.code).toBe(2)
    expect(formats.stderr).toMatch(/sweep\.json: formats: expected json,md as in .* \(give every shard the same --format\), got json\n$/)
    const notSweep = aifab(['merge', join(root, 'configs/profiles'), '--out', out('m-bad')])
    expect(notSweep.code).toBe(2)
    expect(notSweep.stderr).toMatch(/^aifab: .*configs\/profiles\/sweep\.json: cannot read file: ENOENT\n$/)
    expect(existsSync(out('m-bad'))).toBe(false)
  })

  it('bad sweep files exit 2 with one line naming the file and field, before any point runs', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ seed: 3 }, 'seed: unknown field; expected one of: format, version, name, topology, trace, traces, gen, profiles, seeds, overrides, limits, check'],
      [{ overrides: { 'window-bdp': [1, -2] } }, 'overrides.window-bdp[1]: expected a number in 0.01..1000, got -2 (overriding configs/profiles/roce.json: nic.windowBdp)'],
      [{ overrides: { lb: ['spray', 'fastest'] } }, 'overrides.lb[1]: expected one of ecmp, spray, adaptive, flowlet, got "fastest" (overriding'],
      [{ overrides: { cc: 'nope' } }, 'overrides.cc: unknown congestion control "nope"'],
      [{ gen: { kind: 'ring-allreduce', ranks: [8, 64], bytes: '1MiB' } }, 'gen.ranks[1]: 64 ranks do not fit on test/fixtures/leaf-spine-2x2x4.json (8 hosts)'],
      [{ gen: { kind: 'allreduce', algorithm: 'halving-doubling', ranks: 6, bytes: '1MiB' } }, 'gen: halving-doubling needs a power-of-two number of ranks, got 6 (gen:kind=allreduce,algorithm=halving-doubling,ranks=6,bytes=1MiB)'],
      [{ gen: { kind: 'ring-allreduce', ranks: 8, bytes: '1MiB', chunk: ['64KiB', 'x'] } }, 'gen.chunk[1]: expected a size such as 1048576, "64MiB" or "2MB", got "x"'],
      [{ gen: undefined, traces: [join(root, 'traces/incast-16to1-1mib.json')] }, 'traces[0]: 16 ranks do not fit on test/fixtures/leaf-spine-2x2x4.json (8 hosts)'],
    ]
    cases.forEach(([patch, expected], i) => {
      const f = sweepWith(patch, `bad${i}.json`)
      const r = aifab(['sweep', f, '--out', out(`bad${i}`), '--workers', '2'])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr.split('\n')).toHaveLength(2)
      expect(r.stderr.startsWith(`aifab: ${f}: ${expected}`), r.stderr).toBe(true)
      // Found before any worker started: no point ran, nothing was written.
      expect(existsSync(out(`bad${i}`)), r.stderr).toBe(false)
    })
    for (const [args, line] of [
      [['--workers', '0'], 'aifab: --workers: expected an integer >= 1, got "0"\n'],
      [['--workers'], 'aifab: --workers: expected an integer >= 1, got no value\n'],
      [['--shard', '3/2'], 'aifab: --shard: expected i/N with 1 <= i <= N (e.g. 2/4: the second of four slices), got "3/2"\n'],
      [['--format', 'pdf'], 'aifab: --format: expected a comma-separated list of json, md, csv, html, hpcc-fct, got "pdf"\n'],
    ] as const) {
      const r = aifab(['sweep', sweepFile, '--out', out('bad-flag'), ...args])
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(line)
    }
  })

  it('a point that fails exits 1 naming it, one that stops early exits 3; the others are still run and written', () => {
    const f = sweepWith({ seeds: [1], gen: { kind: 'ring-allreduce', ranks: 8, bytes: '1MiB', placement: 'interleave' }, profiles: [join(root, 'configs/profiles/ai-ethernet.json')], overrides: { cc: ['nscc', join(root, 'test/fixtures/cc/throws.mjs')] } }, 'throws.json')
    const r = aifab(['sweep', f, '--workers', '2', '--out', out('throws'), '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^aifab: 1 point failed: p0001 \(ai-ethernet cc=throws\); first, p0001: run stopped: congestion control throws, queue pair \d+, on ack: threw boom\n$/)
    const doc = JSON.parse(readFileSync(join(out('throws'), 'sweep.json'), 'utf8')) as SweepDocument
    expect(doc.results.map((p) => p.outcome)).toEqual(['complete', 'cc-error'])
    expect(JSON.parse(readFileSync(join(out('throws'), 'points/p0001/report.json'), 'utf8')).outcome).toBe('cc-error')
    const limited = sweepWith({ seeds: [1], limits: { maxSimTimeUs: 200 } }, 'limited.json')
    const l = aifab(['sweep', limited, '--out', out('limited'), '--quiet'])
    expect(l.code).toBe(3)
    expect(l.stderr).toBe('aifab: 2 points stopped before every op completed: p0002 (bytes=1MiB roce), p0003 (bytes=1MiB ai-ethernet); their partial reports are written\n')
    expect(readFileSync(join(out('limited'), 'sweep.md'), 'utf8')).toMatch(/^- p0002 \(bytes=1MiB roce\): stopped \(time-limit\) before every op completed$/m)
  })

  it('sweep.html draws efficiency against message size from sweep.json, one line per profile, with no network', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`)
    const doc = JSON.parse(readFileSync(join(out('w1'), 'sweep.json'), 'utf8')) as SweepDocument
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()))
      await page.goto(`file://${join(out('w1'), 'sweep.html')}`)
      await page.waitForSelector('body[data-charts-ready]')
      const chart = await page.evaluate(() => (globalThis as unknown as { aifabSweepChart: { series: string[]; data: number[][] } }).aifabSweepChart)
      expect(errors).toEqual([])
      expect(chart.series).toEqual(['roce', 'ai-ethernet'])
      expect(chart.data[0]).toEqual([262144, 1048576])
      // Recomputed here from the points: the mean efficiency (%) over the two seeds.
      chart.series.forEach((profile, s) => {
        ;['256KiB', '1MiB'].forEach((bytes, x) => {
          const effs = doc.results.filter((p) => p.label.startsWith(`bytes=${bytes} ${profile} `)).map((p) => p.efficiency!)
          expect(chart.data[s + 1]![x]).toBeCloseTo((100 * (effs[0]! + effs[1]!)) / 2, 9)
        })
      })
    } finally {
      await browser.close()
    }
  })

  it('the example sweep files read, and the small one runs on two workers', () => {
    const grid = (f: string) => expandGrid(parseSweepSpec(join('configs/sweeps', f)))
    const eight = grid('roce-vs-ai-ethernet-8-seeds.json')
    expect(eight.axes.map((a) => [a.name, a.values.length])).toEqual([['profile', 2], ['seed', 8]])
    expect(grid('small.json').points).toHaveLength(12)
    const r = aifab(['sweep', 'configs/sweeps/small.json', '--workers', '2', '--out', out('small'), '--quiet'])
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(readFileSync(join(out('small'), 'sweep.json'), 'utf8')) as SweepDocument
    expect(doc.results.filter((p) => p.outcome === 'complete')).toHaveLength(12)
  })
})
