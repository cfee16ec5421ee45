import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { InputError } from '@aifab/core'
import { afterAll, describe, expect, it } from 'vitest'
import { expandGrid } from './sweep-grid.ts'
import { parseSweepSpec } from './sweep-spec.ts'

const root = new URL('../../../', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'aifab-sweep-spec-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const topo = join(root, 'configs/topologies/leaf-spine-8x8x8-400g.json')
const roce = join(root, 'configs/profiles/roce.json')
const aie = join(root, 'configs/profiles/ai-ethernet.json')
const base = { format: 'aifab.sweep', version: 1, topology: topo, gen: { kind: 'ring-allreduce', ranks: 8, bytes: '1MiB' }, profiles: [roce, aie] }

let n = 0
function write(spec: unknown, name = `s${n++}.json`): string {
  const f = join(dir, name)
  writeFileSync(f, typeof spec === 'string' ? spec : JSON.stringify(spec))
  return f
}

/** The one-line error a sweep file gets: `<file>: <field>: <expected>`. */
function refusal(spec: unknown): { file: string; message: string } {
  const file = write(spec)
  try {
    parseSweepSpec(file)
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return { file, message: (e as InputError).message }
  }
  throw new Error('expected the sweep file to be refused')
}

describe('sweep file', () => {
  it('reads a full spec: seeds as a range, overrides, limits, paths relative to the file', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true })
    writeFileSync(join(dir, 'topo.json'), JSON.stringify({ kind: 'leaf-spine', leaves: 2, spines: 2, hostsPerLeaf: 4, hostLinkGbps: 100, fabricLinkGbps: 100, linkDelayNs: 500, mtuBytes: 4096, portBufferBytes: 1048576 }))
    const f = write({ ...base, topology: '../topo.json', seeds: '3..5', overrides: { 'window-bdp': [1, 2], trim: true, fault: ['down:leaf0-spine1:10'] }, limits: { maxEvents: 1e6 } }, 'sub/full.json')
    const s = parseSweepSpec(f)
    expect(resolve(s.topology.path)).toBe(join(dir, 'topo.json'))
    expect(s.topology.written).toBe('../topo.json')
    expect(s.name).toBe('full')
    expect(s.seeds).toEqual([3, 4, 5])
    expect(s.overrides.map((o) => [o.key, o.axis, o.runValues])).toEqual([
      ['window-bdp', true, [1, 2]],
      ['trim', false, ['true']],
      ['fault', true, [['down:leaf0-spine1:10']]],
    ])
    expect(s.limits).toEqual({ maxSimTimeUs: null, maxEvents: 1e6, sampleUs: null })
    expect(s.canonical.seeds).toEqual([3, 4, 5])
    expect(s.canonical.check).toBe(true)
  })

  it('refuses an unknown field (a misspelt axis would run the grid without it)', () => {
    expect(refusal({ ...base, seed: [1, 2] }).message).toMatch(/: seed: unknown field; expected one of: format, version, name, topology,/)
    expect(refusal({ ...base, overrides: { 'window-bpd': [1] } }).message).toMatch(/: overrides\.window-bpd: unknown field; expected one of: lb, spray-order,.* fault$/)
    expect(refusal({ ...base, gen: { ...base.gen, size: '1MiB' } }).message).toMatch(/: gen\.size: unknown field; expected one of: kind, algorithm, ranks, bytes,/)
    expect(refusal({ ...base, limits: { maxEvent: 5 } }).message).toMatch(/: limits\.maxEvent: unknown field/)
  })

  it('names the file, the field and what was expected, on one line', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base, format: 'aifab.trace' }, /: format: expected "aifab\.sweep", got "aifab\.trace"$/],
      [{ ...base, version: 2 }, /: version: expected 1 \(the only version this aifab reads\), got 2$/],
      [{ ...base, profiles: [] }, /: profiles: expected a non-empty list of profile files, got a list$/],
      [{ ...base, profiles: [roce, roce] }, /: profiles\[1\]: expected distinct values; ".*roce\.json" is also profiles\[0\]$/],
      [{ ...base, profiles: [roce, 'nope.json'] }, /: profiles\[1\]: no such file: .*nope\.json \(paths in a sweep file are relative to its directory\)$/],
      [{ ...base, profiles: undefined }, /: profiles: expected a list of profile files/],
      [{ ...base, seeds: '1..x' }, /: seeds: expected a range like 1\.\.20 or a list like 1,5,9/],
      [{ ...base, seeds: [1, 2.5] }, /: seeds\[1\]: expected an integer in 0\.\.4294967295, got 2\.5$/],
      [{ ...base, gen: { ...base.gen, bytes: ['1MiB', 'lots'] } }, /: gen\.bytes\[1\]: expected a size such as 1048576, "64MiB" or "2MB", got "lots"$/],
      [{ ...base, gen: { ...base.gen, kind: 'mix' } }, /: gen\.kind: expected one of ring-allreduce, allreduce,.*, got "mix"$/],
      [{ ...base, gen: { kind: 'permutation', bytes: '2MB' } }, /: gen\.ranks: expected the number of ranks$/],
      [{ ...base, gen: { ...base.gen, ranks: 0 } }, /: gen\.ranks: expected an integer in 1\.\.1048576, got 0$/],
      [{ ...base, trace: 'x.json' }, /: gen: give one of trace, traces and gen, not trace and gen$/],
      [{ ...base, gen: undefined }, /: trace: expected the traffic: trace \(a file\), traces/],
      [{ ...base, overrides: { lb: [] } }, /: overrides\.lb: expected a non-empty list of values, got a list$/],
      [{ ...base, overrides: { lb: { spray: 1 } } }, /: overrides\.lb: expected a value like the flag --lb takes \(a string, number or true\/false\), got an object$/],
      [{ ...base, overrides: { fault: [7] } }, /: overrides\.fault\[0\]: expected a string like the flag takes, or a list of them applied together \(\[\] for none\), got 7$/],
      [{ ...base, overrides: { cc: ['dcqcn', './missing-cc.mjs'] } }, /: overrides\.cc\[1\]: no such file: .*missing-cc\.mjs/],
      [{ ...base, limits: { maxEvents: -1 } }, /: limits\.maxEvents: expected a positive number, got -1$/],
      [{ ...base, check: 'yes' }, /: check: expected true or false, got "yes"$/],
      [{ ...base, seeds: '1..1000', overrides: { 'window-bdp': Array.from({ length: 60 }, (_, i) => i + 1) } }, /: the grid has 120000 points \(2 x 60 x 1000\); expected at most 100000$/],
    ]
    for (const [spec, re] of cases) {
      const { file, message } = refusal(spec)
      expect(message.startsWith(`${file}: `), message).toBe(true)
      expect(message).not.toContain('\n')
      expect(message).toMatch(re)
    }
    const bad = write('{ "format": ')
    expect(() => parseSweepSpec(bad)).toThrow(/: not valid JSON: /)
  })

  it('any mutation is read or refused with one InputError line naming the file, never another exception', () => {
    const leaves: unknown[] = [null, true, 0, -1, 1.5, 'x', '', [], ['a', 'a'], {}, [1, 2], 'spray', '1..3', '64MiB']
    const keys = ['format', 'version', 'name', 'topology', 'trace', 'traces', 'gen', 'profiles', 'seeds', 'overrides', 'limits', 'check', 'gen.bytes', 'gen.kind', 'gen.ranks', 'gen.placement', 'overrides.lb', 'overrides.window-bdp', 'overrides.fault', 'overrides.cc-param', 'limits.sampleUs']
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.constantFrom(...leaves), (key, value) => {
        const spec = JSON.parse(JSON.stringify({ ...base, overrides: { lb: ['ecmp', 'spray'] }, limits: {} })) as Record<string, Record<string, unknown>>
        const [a, b] = key.split('.') as [string, string | undefined]
        if (b === undefined) (spec as Record<string, unknown>)[a] = value
        else spec[a]![b] = value
        const file = write(spec, 'fuzz.json')
        try {
          expandGrid(parseSweepSpec(file))
        } catch (e) {
          if (!(e instanceof InputError)) throw e
          expect(e.message.startsWith(`${file}: `)).toBe(true)
          expect(e.message).not.toContain('\n')
        }
      }),
      { numRuns: 300 },
    )
  })
})
