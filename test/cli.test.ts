// The CLI contract: exit codes, one-line errors, stdout discipline, determinism.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = new URL('../', import.meta.url).pathname
const bin = join(root, 'packages/cli/bin/aifab.js')
const topo = 'test/fixtures/leaf-spine-2x2x4.json'
const roce = 'configs/profiles/roce.json'
const aie = 'configs/profiles/ai-ethernet.json'
let dir = ''
let trace = ''

function aifab(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aifab-cli-'))
  trace = join(dir, 'ring.json')
  const g = aifab('gen', 'ring-allreduce', '--ranks', '8', '--bytes', '1MiB', '--placement', 'interleave', '--topology', topo, '-o', trace)
  expect(g.code).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('aifab CLI', () => {
  it('--version prints the package version alone', () => {
    const r = aifab('--version')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version}\n`)
    expect(r.stderr).toBe('')
  })

  it('replay --json prints only the report, with the contract fields', () => {
    const r = aifab('replay', trace, '--topology', topo, '--profile', aie, '--json', '--seed', '3')
    expect(r.code).toBe(0)
    const rep = JSON.parse(r.stdout)
    expect(rep.format).toBe('aifab.report')
    expect(rep.version).toBe(2)
    expect(rep.seed).toBe(3)
    expect(rep.topology.leaves).toBe(2)
    expect(rep.profile.name).toBe('ai-ethernet')
    for (const k of ['completionTimePs', 'algbwGbps', 'busbwGbps', 'efficiency', 'goodputMeanFraction', 'goodputJobFraction', 'payloadBytes', 'wireBytes', 'drops', 'retransmittedPackets', 'ecnMarks', 'reorderWindowPeak']) {
      expect(typeof rep.summary[k]).toBe('number')
    }
    expect(rep.flows[0]).toMatchObject({ src: 0, dst: 1 })
    for (const k of ['startPs', 'endPs', 'fctPs', 'bytes']) expect(typeof rep.flows[0][k]).toBe('number')
  })

  it('the same inputs and seed give a byte-identical report', () => {
    const a = aifab('replay', trace, '--topology', topo, '--profile', roce, '--json')
    const b = aifab('replay', trace, '--topology', topo, '--profile', roce, '--json')
    expect(a.code).toBe(0)
    expect(a.stdout).toBe(b.stdout)
  })

  it('compare --json gives baseline, candidate and speedup; --out writes the reports', () => {
    const out = join(dir, 'out')
    const r = aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie, '--json', '--out', out)
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.speedup).toBeCloseTo(doc.baseline.summary.completionTimePs / doc.candidate.summary.completionTimePs, 12)
    for (const f of ['baseline.report.json', 'candidate.report.json', 'compare.json', 'summary.md']) expect(existsSync(join(out, f))).toBe(true)
    expect(readFileSync(join(out, 'compare.json'), 'utf8')).toBe(r.stdout)
  })

  it('the human summary goes to stdout, progress to stderr', () => {
    const r = aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\| efficiency, payload/)
    expect(r.stdout).toMatch(/ai-ethernet reaches .* of line rate, .*x roce/)
    expect(r.stderr).toMatch(/running roce/)
    // Without a collective, efficiency is the mean flow's goodput and the speedup the trace's time: said apart.
    const incast = aifab('compare', 'test/golden/incast-7to1-256kib.json', '--topology', topo, '--baseline', roce, '--candidate', aie, '--quiet')
    expect(incast.code, incast.stderr).toBe(0)
    expect(incast.stdout).toMatch(/\nai-ethernet: flows average [\d.]+% of line rate \(roce [\d.]+%\); the trace completes [\d.]+x as fast as on roce\.\n/)
  })

  it('the HTML report says why it has no charts over time: no sampling, or an interval as long as the run', () => {
    const html = (...more: string[]) => {
      const out = join(dir, `html${more.join("-")}`)
      expect(aifab('replay', trace, '--topology', topo, '--profile', aie, '--out', out, '--format', 'html', '--quiet', ...more).code).toBe(0)
      return readFileSync(join(out, 'report.html'), 'utf8')
    }
    expect(html()).toMatch(/Run with <code>--sample-us N<\/code> for the charts over time/)
    expect(html('--sample-us', '100000')).toMatch(/Too few samples for the charts over time: the interval \(100000 us\)/)
    const fine = html('--sample-us', '5')
    expect(fine).not.toMatch(/Too few samples|Run with <code>--sample-us/)
  })

  it('a msgpack trace replays exactly like its JSON twin', () => {
    const mp = join(dir, 'ring.msgpack')
    expect(aifab('gen', 'ring-allreduce', '--ranks', '8', '--bytes', '1MiB', '--placement', 'interleave', '--topology', topo, '-o', mp).code).toBe(0)
    const a = JSON.parse(aifab('replay', trace, '--topology', topo, '--profile', aie, '--json').stdout)
    const b = JSON.parse(aifab('replay', mp, '--topology', topo, '--profile', aie, '--json').stdout)
    expect(b.summary).toEqual(a.summary)
  })

  it('faults from the command line are injected and reported', () => {
    const r = aifab('replay', trace, '--topology', topo, '--profile', aie, '--fault', 'down:spine1>leaf0:20:60', '--fault', 'loss:host3-leaf0:0:0.001', '--json')
    expect(r.code).toBe(0)
    const rep = JSON.parse(r.stdout)
    expect(rep.faults.map((f: { link: string }) => f.link)).toEqual(['leaf0-spine1', 'host3-leaf0'])
    expect(rep.faults[0].untilPs).toBe(60_000_000)
    expect(rep.outcome).toBe('complete')
  })

  it('congestion control from the command line: a built-in, a module with parameters, cc list', () => {
    const list = aifab('cc', 'list')
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/^hpcc: /m)
    expect(list.stdout).toMatch(/eta +0\.95 +target utilization/)
    const r = aifab('replay', trace, '--topology', topo, '--profile', roce, '--cc', 'dcqcn', '--cc-param', 'rateTimerUs=300', '--sample-us', '5', '--json')
    expect(r.code).toBe(0)
    const rep = JSON.parse(r.stdout)
    expect(rep.cc).toMatchObject({ name: 'dcqcn', params: { rateTimerUs: 300, alphaTimerUs: 55 } })
    expect(rep.timeSeries.flows.length).toBeGreaterThan(0)
    expect(rep.timeSeries.intervalPs).toBeGreaterThanOrEqual(5_000_000)
    const m = aifab('replay', trace, '--topology', topo, '--profile', aie, '--cc', 'configs/cc/example-cc.mjs', '--cc-param', 'fraction=0.25', '--json')
    expect(m.code).toBe(0)
    expect(JSON.parse(m.stdout).cc).toMatchObject({ name: 'example-fraction', params: { fraction: 0.25, backoff: 1 } })
    const t = aifab('replay', trace, '--topology', topo, '--profile', aie, '--cc', 'test/fixtures/cc/quarter.ts', '--json')
    expect(t.code).toBe(0)
    expect(JSON.parse(t.stdout).cc.name).toBe('quarter')
  })

  it('a broken module stops the run with exit 1, names module, flow and event, and writes the partial report', () => {
    const out = join(dir, 'broken')
    const r = aifab('replay', trace, '--topology', topo, '--profile', aie, '--cc', 'test/fixtures/cc/throws.mjs', '--out', out)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/congestion control throws, queue pair \d+, on ack: threw boom; the partial report is written/)
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))
    expect(rep.outcome).toBe('cc-error')
    expect(rep.error).toMatch(/threw boom/)
    // A module that names itself nowhere is named by its file.
    const u = aifab('replay', trace, '--topology', topo, '--profile', aie, '--cc', 'test/fixtures/cc/throws-unnamed.mjs')
    expect(u.code).toBe(1)
    expect(u.stderr).toMatch(/congestion control throws-unnamed\.mjs, queue pair \d+, on ack: threw boom; its summary is printed \(--out or --json for the report\)\n$/)
  })

  it('imports an htsim connection matrix, and replays one directly', () => {
    const out = join(dir, 'chain.json')
    const r = aifab('import', 'htsim-cm', 'traces/htsim-chain.cm', '-o', out)
    expect(r.code).toBe(0)
    expect(JSON.parse(readFileSync(out, 'utf8')).ops.length).toBe(5)
    const bad = join(dir, 'bad.cm')
    writeFileSync(bad, 'Nodes 4\n0->1 start 0\n')
    const b = aifab('import', 'htsim-cm', bad, '-o', join(dir, 'x.json'))
    expect(b.code).toBe(2)
    expect(b.stderr).toMatch(/bad\.cm: line 2: expected size > 0 bytes/)
  })

  it('mixes traces into jobs, as aifab mix or aifab gen mix, and replays the mix', () => {
    const bg = join(dir, 'bg-mix.json')
    expect(aifab('gen', 'background', '--ranks', '8', '--load', '0.2', '--duration-us', '50', '--topology', topo, '-o', bg).code).toBe(0)
    const [a, b] = [join(dir, 'mix-a.json'), join(dir, 'mix-b.json')]
    expect(aifab('mix', trace, bg, '-o', a).code).toBe(0)
    expect(aifab('gen', 'mix', '--traces', `${trace},${bg}`, '-o', b).code).toBe(0)
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'))
    const rep = JSON.parse(aifab('replay', a, '--topology', topo, '--profile', aie, '--json').stdout)
    expect(rep.jobs.map((j: { name: string }) => j.name)).toHaveLength(2)
    expect(rep.conservation.ok).toBe(true)
  })

  it('writes CSV tables and HTML, and aifab report re-renders a saved comparison byte for byte', () => {
    const run = join(dir, 'csv-run')
    const again = join(dir, 'csv-again')
    const r = aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie, '--out', run, '--format', 'json,md,csv,html,hpcc-fct', '--quiet')
    expect(r.code).toBe(0)
    const names = ['compare.json', 'summary.md', 'summary.csv', 'baseline.flows.csv', 'candidate.links.csv', 'candidate.tiers.csv', 'baseline.fct.txt', 'report.html']
    expect(aifab('report', join(run, 'compare.json'), '--format', 'json,md,csv,html,hpcc-fct', '--out', again, '--quiet').code).toBe(0)
    for (const n of names) expect(readFileSync(join(again, n), 'utf8'), n).toBe(readFileSync(join(run, n), 'utf8'))
    const summary = readFileSync(join(run, 'summary.csv'), 'utf8').trim().split('\n')
    expect(summary[0]).toMatch(/^profile,seed,outcome,completion_time_us,/)
    expect(summary.slice(1).map((l) => l.split(',')[0])).toEqual(['roce', 'ai-ethernet'])
    const flows = readFileSync(join(run, 'baseline.flows.csv'), 'utf8').trim().split('\n')
    expect(flows).toHaveLength(1 + JSON.parse(readFileSync(trace, 'utf8')).ops.length)
    const bad = join(dir, 'not-a-report.json')
    writeFileSync(bad, '{"format":"aifab.trace"}')
    const b = aifab('report', bad)
    expect(b.code).toBe(2)
    expect(b.stderr).toMatch(/not-a-report\.json: format: expected an aifab report/)
  })

  it('compares three profiles, the first the baseline, and sweeps seeds with 95% intervals', () => {
    const out = join(dir, 'three')
    const r = aifab('compare', trace, '--topology', topo, '--profile', roce, '--profile', aie, '--profile', aie, '--out', out, '--json', '--quiet')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.candidates).toHaveLength(2)
    expect(doc.speedups).toHaveLength(2)
    expect(existsSync(join(out, 'candidate2.report.json'))).toBe(true)
    expect(aifab('report', join(out, 'compare.json')).stdout).toMatch(/ai-ethernet reaches .* of line rate, [\d.]+x roce/)
    const sw = aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie, '--seeds', '1..4', '--json', '--quiet')
    expect(sw.code).toBe(0)
    const seeds = JSON.parse(sw.stdout)
    expect(seeds.profiles.map((p: { runs: unknown[] }) => p.runs.length)).toEqual([4, 4])
    const e = seeds.profiles[0].efficiency
    const xs = seeds.profiles[0].runs.map((x: { efficiency: number }) => x.efficiency)
    expect(e.mean).toBeCloseTo(xs.reduce((a: number, b: number) => a + b, 0) / 4, 12)
    expect(e.halfWidth).toBeGreaterThanOrEqual(0)
  })

  it('compare and --seeds on worker threads write the same bytes as one run after another, a TypeScript controller module included', () => {
    const cmp = (w: string, out: string) => aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie, '--cc', 'test/fixtures/cc/quarter.ts', '--out', join(dir, out), '--format', 'json,md,csv', '--workers', w)
    const one = cmp('1', 'w1')
    const two = cmp('2', 'w2')
    expect(one.code, one.stderr).toBe(0)
    expect(two.code, two.stderr).toBe(0)
    expect(two.stdout).toBe(one.stdout)
    expect(two.stderr).toMatch(/^aifab: running roce, ai-ethernet on .* on 2 worker threads\n/)
    // Both runs use a module: even one at a time, each gets a fresh worker thread.
    expect(one.stderr).toMatch(/^aifab: running roce, ai-ethernet on .* on 1 worker thread\naifab: roce: .* simulated in .* s wall/)
    // Built-ins alone, one at a time: the main thread, as before.
    const plain = aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie, '--workers', '1')
    expect(plain.stderr).toMatch(/^aifab: running roce on .* \.\.\. .* simulated in .* s wall .*\naifab: running ai-ethernet on /)
    for (const f of ['compare.json', 'baseline.report.json', 'candidate.report.json', 'summary.md', 'summary.csv', 'baseline.flows.csv', 'candidate.links.csv']) {
      expect(readFileSync(join(dir, 'w2', f), 'utf8') === readFileSync(join(dir, 'w1', f), 'utf8'), f).toBe(true)
    }
    expect(JSON.parse(readFileSync(join(dir, 'w2', 'candidate.report.json'), 'utf8')).cc.name).toBe('quarter')
    // Controllers whose module keeps state (CommonJS, and an ES module that throws on its 100th ACK):
    // every run loads its module afresh, so one worker or two, and whichever runs first, give the same.
    const seeds = (w: string, cc: string) => aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie, '--cc', cc, '--seeds', '1..3', '--json', '--quiet', '--workers', w)
    const s1 = seeds('1', 'test/fixtures/cc/counting.cjs')
    expect(s1.code, s1.stderr).toBe(0)
    expect(seeds('2', 'test/fixtures/cc/counting.cjs').stdout).toBe(s1.stdout)
    // The last of the six runs, alone in a process of its own, gives what it gave after five others.
    const alone = aifab('replay', trace, '--topology', topo, '--profile', aie, '--cc', 'test/fixtures/cc/counting.cjs', '--seed', '3', '--json', '--quiet')
    expect(alone.code, alone.stderr).toBe(0)
    expect(JSON.parse(s1.stdout).profiles[1].runs[2].completionTimePs).toBe(JSON.parse(alone.stdout).summary.completionTimePs)
    const t1 = seeds('1', 'test/fixtures/cc/throws.mjs')
    const t2 = seeds('2', 'test/fixtures/cc/throws.mjs')
    expect(t1.code).toBe(1)
    expect(t2.stdout).toBe(t1.stdout)
    expect(JSON.parse(t1.stdout).profiles.every((p: { runs: { outcome: string }[] }) => p.runs.every((r) => r.outcome === 'cc-error'))).toBe(true)
    for (const bad of ['0', '1.5', 'abc']) {
      const r = aifab('compare', trace, '--topology', topo, '--baseline', roce, '--candidate', aie, '--workers', bad)
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(`aifab: --workers: expected an integer >= 1, got ${JSON.stringify(bad)}\n`)
    }
  })

  it('a run longer than a second shows a progress bar on a terminal, and the same report as without', () => {
    // `script` gives the command a terminal; its output goes to a file, stdout to another.
    const out = join(dir, 'tty.json')
    const typescript = join(dir, 'tty.typescript')
    const flagship = ['traces/ring-allreduce-64r-64mib.json', '--topology', 'configs/topologies/leaf-spine-8x8x8-400g.json', '--profile', 'configs/profiles/roce.json', '--json']
    const cmd = [process.execPath, bin, 'replay', ...flagship].map((x) => `'${x}'`).join(' ')
    const r = spawnSync('script', ['-qec', `${cmd} > '${out}'`, typescript], { cwd: root, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    expect(readFileSync(typescript, 'utf8')).toMatch(/\d+\/8064 ops \| simulated [\d.]+ ms \| [\d.]+ M events\/s \| ETA/)
    const plain = aifab('replay', ...flagship, '--quiet')
    expect(plain.stderr).toBe('')
    expect(readFileSync(out, 'utf8')).toBe(plain.stdout)
  })

  it('--from-report runs a saved run again, byte for byte, and refuses when its trace changed', () => {
    const report = join(dir, 'again.json')
    const first = aifab('replay', trace, '--topology', topo, '--profile', aie, '--cc', 'configs/cc/example-cc.mjs', '--cc-param', 'fraction=0.5', '--sample-us', '20', '--json', '--quiet')
    expect(first.code).toBe(0)
    writeFileSync(report, first.stdout)
    expect(JSON.parse(first.stdout).inputs).toMatchObject({ topology: { file: topo }, profile: { file: aie }, ccModule: { file: 'configs/cc/example-cc.mjs' }, limits: { sampleUs: 20 } })
    expect(aifab('replay', '--from-report', report, '--json', '--quiet').stdout).toBe(first.stdout)
    const flag = aifab('replay', '--from-report', report, '--seed', '9')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/--from-report: the report says how to run; drop --seed/)
    const copy = join(dir, 'copy.json')
    writeFileSync(copy, readFileSync(trace))
    const r = aifab('replay', copy, '--topology', topo, '--profile', roce, '--json', '--quiet')
    writeFileSync(report, r.stdout)
    writeFileSync(copy, readFileSync(trace, 'utf8') + ' ')
    const refused = aifab('replay', '--from-report', report)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/trace\.sha256: .*copy\.json changed since the run: sha256 [0-9a-f]{64}, the report has [0-9a-f]{64}/)
  })

  it('exits promptly when its output is cut short (| head -1)', () => {
    // --json: a report too big for the pipe's buffer, so aifab is still writing when head closes it.
    const r = spawnSync('bash', ['-c', `set -o pipefail; '${process.execPath}' '${bin}' replay traces/ring-allreduce-64r-64mib.json --topology configs/topologies/leaf-spine-8x8x8-400g.json --profile ${aie} --sample-us 5 --json --quiet | head -1`], { cwd: root, encoding: 'utf8', timeout: 120_000 })
    expect(r.error).toBeUndefined()
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('{\n')
  })

  it('runs from the TypeScript sources too (the path taken when the bundle is missing or stale)', () => {
    const r = spawnSync(process.execPath, [bin, 'replay', trace, '--topology', topo, '--profile', aie, '--cc', 'test/fixtures/cc/quarter.ts', '--json', '--quiet'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, AIFAB_FROM_SOURCE: '1' },
    })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe(aifab('replay', trace, '--topology', topo, '--profile', aie, '--cc', 'test/fixtures/cc/quarter.ts', '--json', '--quiet').stdout)
  })

  it('logs go to --log-file as JSON lines, never to stdout', () => {
    const log = join(dir, 'logs', 'run.log')
    const r = aifab('replay', trace, '--topology', topo, '--profile', roce, '--log-level', 'info', '--log-file', log, '--json', '--quiet')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).format).toBe('aifab.report')
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.msg)).toEqual(['inputs loaded', 'run done'])
  })

  it('validate checks a trace, topology or profile without running', () => {
    expect(aifab('validate', roce, '--topology', topo).stdout).toMatch(/^ok: configs\/profiles\/roce\.json: profile "roce"/)
    expect(aifab('validate', 'traces/htsim-chain.cm').stdout).toMatch(/^ok: traces\/htsim-chain\.cm: trace "htsim-chain\.cm": 5 ops, 128 ranks/)
    expect(aifab('validate', topo).stdout).toMatch(/^ok: .*: topology: leaf-spine 2 leaves/)
    const r = aifab('validate', 'traces/htsim-chain.cm', '--topology', topo)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/htsim-chain\.cm: ranks: 128 ranks do not fit on .* \(8 hosts\)/)
  })

  it('an unknown field is read with a warning naming it, before the run', () => {
    const p = JSON.parse(readFileSync(join(root, roce), 'utf8'))
    p.switch.loadBalacing = 'spray'
    const f = join(dir, 'typo.json')
    writeFileSync(f, JSON.stringify(p))
    const r = aifab('replay', trace, '--topology', topo, '--profile', f)
    expect(r.code).toBe(0)
    expect(r.stderr.split('\n')[0]).toMatch(/^aifab: warning: .*typo\.json: switch\.loadBalacing: unknown field, ignored; expected one of: loadBalancing,/)
  })

  it('generates background traffic at a load and replays it', () => {
    const bg = join(dir, 'bg.json')
    expect(aifab('gen', 'background', '--ranks', '8', '--load', '0.3', '--duration-us', '100', '--cdf', 'hadoop', '--topology', topo, '-o', bg).code).toBe(0)
    const t = JSON.parse(readFileSync(bg, 'utf8'))
    expect(t.ops.length).toBeGreaterThan(0)
    const rep = JSON.parse(aifab('replay', bg, '--topology', topo, '--profile', aie, '--json').stdout)
    expect(rep.outcome).toBe('complete')
    expect(rep.conservation.ok).toBe(true)
  })

  it('profile fields can be overridden by flags', () => {
    const r = aifab('replay', trace, '--topology', topo, '--profile', roce, '--lb', 'spray', '--nic', 'reorder', '--window-bdp', '2', '--json')
    expect(r.code).toBe(0)
    const rep = JSON.parse(r.stdout)
    expect(rep.profile.switch.loadBalancing).toBe('spray')
    expect(rep.profile.nic.reliability).toBe('reorder')
    expect(rep.profile.nic.windowBdp).toBe(2)
  })

  describe('bad input: exit 2, one line naming the file and field, no stack trace', () => {
    const oneLine = (r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) => {
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(pattern)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }

    it('a rank out of range in a trace', () => {
      const bad = JSON.parse(readFileSync(trace, 'utf8'))
      bad.ops[3].dst = 70
      const f = join(dir, 'bad.json')
      writeFileSync(f, JSON.stringify(bad))
      oneLine(aifab('replay', f, '--topology', topo, '--profile', roce), /bad\.json: ops\[3\]\.dst: rank out of range 0\.\.7, got 70/)
    })
    it('a trace that is not JSON', () => {
      const f = join(dir, 'garbage.json')
      writeFileSync(f, '{"format": ')
      oneLine(aifab('replay', f, '--topology', topo, '--profile', roce), /garbage\.json: not valid JSON/)
    })
    it('a missing file', () => {
      oneLine(aifab('replay', 'nope.json', '--topology', topo, '--profile', roce), /nope\.json: cannot read trace: ENOENT/)
      // A shipped config named without its folder gets a hint.
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', 'roce'), /^aifab: roce: cannot read file: ENOENT \(did you mean configs\/profiles\/roce\.json\?\)\n$/)
    })
    it('a bad profile field', () => {
      const p = JSON.parse(readFileSync(join(root, roce), 'utf8'))
      p.switch.loadBalancing = 'telepathy'
      const f = join(dir, 'p.json')
      writeFileSync(f, JSON.stringify(p))
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', f), /p\.json: switch\.loadBalancing: expected one of ecmp, spray, adaptive, flowlet, got "telepathy"/)
    })
    it('PFC thresholds the wrong way round, or a shared buffer without alpha', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--pfc', '1000,2000,100'), /--pfc: expected xonBytes < xoffBytes \(1000\), got 2000/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--buffer', 'shared'), /--buffer: expected "static" or "shared:ALPHA\[:RESERVE_BYTES\]"/)
    })
    it('ECN thresholds the wrong way round, and a negative link rate', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--ecn', '300000,100000,0.2'), /--ecn: expected kmaxBytes > kminBytes \(300000\), got 100000/)
      const t = JSON.parse(readFileSync(join(root, topo), 'utf8'))
      t.fabricLinkGbps = -400
      const f = join(dir, 'negative.json')
      writeFileSync(f, JSON.stringify(t))
      oneLine(aifab('replay', trace, '--topology', f, '--profile', roce), /negative\.json: fabricLinkGbps: expected a number in 0\.001\.\.100000, got -400/)
    })
    it('ECN thresholds above the buffer', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--ecn', '100000,900000,0.2'), /--ecn: .*half the port buffer/)
    })
    it('an unknown flag or a missing argument', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--frobnicate'), /Unknown argument/)
      oneLine(aifab('compare', trace, '--topology', topo, '--baseline', roce), /--candidate: expected at least two profiles/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--lb', 'magic'), /Invalid values/)
      oneLine(aifab('replya', trace), /unknown command "replya"; expected one of replay, compare/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--format', 'html'), /--format: expected --out DIR with it/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--seeds', '1..2', '--format', 'html', '--out', join(dir, 'seeds-html')), /--format: does not apply with --seeds/)
      // A number flag names the text given, not NaN.
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--seed', 'abc'), /--seed: expected a number, got "abc"/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--window-bdp=x2'), /--window-bdp: expected a number, got "x2"/)
      oneLine(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '-64MiB', '-o', join(dir, 'neg.json')), /^aifab: --bytes: expected a value that is not negative, got "-64MiB"\n$/)
    })
    it('a profile that cannot work on the topology', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--rto-us', '1'), /--rto-us: expected at least the base round trip of this topology \(\d+\.\d+ us\), got 1/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', aie, '--reorder-nack-threshold', '500'), /--reorder-nack-threshold: expected fewer than the send window/)
      const t = JSON.parse(readFileSync(join(root, topo), 'utf8'))
      t.portBufferBytes = 4000
      const f = join(dir, 'tiny-buffer.json')
      writeFileSync(f, JSON.stringify(t))
      oneLine(aifab('replay', trace, '--topology', f, '--profile', roce), /tiny-buffer\.json: portBufferBytes: expected at least one full frame \(4194 bytes/)
    })
    it('a fault on a link that does not exist, or in a bad format', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', aie, '--fault', 'down:leaf0-spine9:10'), /--fault: no such link "leaf0-spine9" on this topology/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', aie, '--fault', 'down:leaf0-spine1'), /--fault: expected down:LINK:AT_US/)
    })
    it('congestion control that does not exist, does not fit, or gets a parameter it lacks', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--cc', 'bbr'), /--cc: nic\.congestionControl: unknown congestion control "bbr"; built-ins: none, dcqcn, hpcc, dctcp, timely, swift, nscc/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--cc', './nope.mjs'), /\.\/nope\.mjs: cannot load congestion-control module: no such file/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--cc', 'hpcc'), /--cc: switch\.int: congestion control hpcc reads INT records/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--cc', 'dcqcn', '--cc-param', 'speed=9'), /--cc-param: nic\.ccParams\.speed: dcqcn has no parameter speed; it has: g, cnpIntervalUs/)
    })
    it('a flag given twice', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--profile', aie), /--profile: given 2 times; expected one value/)
    })
    it('seeds that are not a range or a list, and too few profiles to compare', () => {
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--seeds', '5..x'), /--seeds: expected a range like 1\.\.20/)
      oneLine(aifab('compare', trace, '--topology', topo, '--profile', roce), /--profile: expected at least two profiles/)
      oneLine(aifab('compare', trace, '--topology', topo, '--profile', roce, '--profile', aie, '--baseline', roce), /--profile: give --profile \(repeated\) or --baseline and --candidate, not both/)
    })
    it('a generator without what it needs', () => {
      oneLine(aifab('gen', 'mix', '-o', join(dir, 'm.json')), /--traces: expected the trace files to mix/)
      oneLine(aifab('gen', 'alltoall', '--bytes', '1MiB', '-o', join(dir, 'm.json')), /--ranks: expected the number of ranks/)
    })
    it('a generator asked for more than fits', () => {
      oneLine(aifab('gen', 'ring-allreduce', '--ranks', '20000', '--bytes', '1GiB', '-o', join(dir, 'huge.json')), /--ranks: expected at most 16384 ranks/)
    })
    it('a placement that is not one host per rank, or has no topology', () => {
      const out = join(dir, 'placed.json')
      oneLine(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '1MiB', '--hosts', '0,1,2,2', '--topology', topo, '-o', out), /--hosts: rank 3: host 2 already holds another rank/)
      oneLine(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '1MiB', '--placement', 'random', '-o', out), /--placement: "random" needs --topology/)
      expect(existsSync(out)).toBe(false)
      expect(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '1MiB', '--hosts', '7,0,5,2', '--topology', topo, '-o', out).code).toBe(0)
      expect(JSON.parse(readFileSync(out, 'utf8')).placement).toEqual([7, 0, 5, 2])
    })
    it('channels or an explicit placement where they do not apply', () => {
      oneLine(aifab('gen', 'allreduce', '--algorithm', 'double-binary-tree', '--ranks', '8', '--bytes', '1MiB', '--channels', '4', '-o', join(dir, 'c.json')), /--channels: channels are generated for ring all-reduce only, not allreduce --algorithm double-binary-tree/)
      oneLine(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '1MiB', '--placement', 'random', '--hosts', '0,1,2,3', '--topology', topo, '-o', join(dir, 'c.json')), /--hosts: give --placement random or --hosts, not both/)
    })
    it('a pipelining chunk where there is no pipeline, or too small to cut', () => {
      oneLine(aifab('gen', 'alltoall', '--ranks', '4', '--bytes', '1MiB', '--chunk', '64KiB', '-o', join(dir, 'c.json')), /--chunk: pipelining is generated for ring and double-binary-tree all-reduce only, not alltoall/)
      oneLine(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '1027', '--chunk', '1', '-o', join(dir, 'c.json')), /gen ring-allreduce: a chunk of 1 bytes cuts 256-byte messages into 257 pieces, some empty/)
    })
    it('a background CDF file with a bad line', () => {
      const cdfFile = join(dir, 'sizes.cdf')
      writeFileSync(cdfFile, '0 0\n1000 50\n500 100\n')
      oneLine(aifab('gen', 'background', '--ranks', '8', '--load', '0.3', '--duration-us', '100', '--cdf', cdfFile, '--topology', topo, '-o', join(dir, 'x.json')), /sizes\.cdf: line 3: sizes and cumulative values must not decrease/)
    })
    it('ranks that do not fit the topology', () => {
      const big = join(dir, 'big.json')
      expect(aifab('gen', 'permutation', '--ranks', '16', '--bytes', '4KiB', '-o', big).code).toBe(0)
      // Said before any run starts: alone on its line, not after a run's progress text.
      oneLine(aifab('replay', big, '--topology', topo, '--profile', roce), /^aifab: \S*big\.json: ranks: 16 ranks do not fit on a topology of 8 hosts\n$/)
      oneLine(aifab('compare', big, '--topology', topo, '--profile', roce, '--profile', aie), /^aifab: \S*big\.json: ranks: 16 ranks do not fit on a topology of 8 hosts\n$/)
    })
    it('an output path that cannot be written, before anything runs', () => {
      const file = join(dir, 'a-file.txt')
      writeFileSync(file, 'keep me')
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--out', file), /--out: expected a directory to write into, got ".*a-file\.txt": it is a file/)
      oneLine(aifab('sweep', 'configs/sweeps/small.json', '--out', join(file, 'sub')), /--out: expected a directory to write into, got .*: .*a-file\.txt is a file/)
      oneLine(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '1MiB', '-o', dir), /--output: expected a file to write, got ".*": it is a directory/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--log-file', dir), /--log-file: expected a file to write, got ".*": it is a directory/)
      oneLine(aifab('replay', trace, '--topology', topo, '--profile', roce, '--out='), /--out: expected a directory to write into, got ""\n$/)
      const dangling = join(dir, 'dangling')
      symlinkSync(join(dir, 'no-such-target'), dangling)
      oneLine(aifab('report', 'test/golden/ring-roce.report.json', '--out', dangling), /--out: expected a directory to write into, got ".*dangling": it is a symbolic link to nothing/)
      expect(readFileSync(file, 'utf8')).toBe('keep me')
      // A place the system refuses though the check cannot tell (root may write anywhere): one line, exit 2, no hang.
      if (process.platform === 'linux') oneLine(aifab('gen', 'ring-allreduce', '--ranks', '4', '--bytes', '1MiB', '-o', '/proc/aifab-test/x.json'), /^aifab: \/proc\/aifab-test: cannot mkdir: ENOENT\n$/)
    })
  })

  it('a run stopped by a limit exits 3 and still writes the partial report, packets accounted for', () => {
    for (const [flag, value, outcome] of [
      ['--max-events', '2000', 'event-limit'],
      ['--max-sim-time-us', '10', 'time-limit'],
    ]) {
      const out = join(dir, `partial-${outcome}`)
      const r = aifab('replay', trace, '--topology', topo, '--profile', roce, flag!, value!, '--out', out)
      expect(r.code).toBe(3)
      expect(r.stderr).toMatch(new RegExp(outcome!))
      const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))
      expect(rep.outcome).toBe(outcome)
      expect(rep.incompleteOps.length).toBeGreaterThan(0)
      expect(rep.summary.completionTimePs).toBeNull()
      expect(rep.summary.efficiency).toBeNull()
      expect(rep.conservation.ok).toBe(true)
      expect(rep.conservation.inNetwork).toBeGreaterThan(0)
    }
    // A comparison whose runs both stop says so of each.
    const c = aifab('compare', trace, '--topology', topo, '--profile', roce, '--profile', aie, '--max-events', '2000', '--quiet')
    expect(c.code).toBe(3)
    expect(c.stderr.match(/run stopped \(event-limit\)/g)).toHaveLength(2)
  })
})
