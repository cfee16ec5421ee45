// Bad input, fuzzed: generated and mutated inputs for every parser and
// validator (trace JSON and msgpack, topology and profile configs, htsim .cm,
// HPCC flow.txt, CLI flags). Each must either be accepted or refused with one
// InputError line naming the file and field or line: never another exception,
// a stack trace or a hang. The number of inputs tried is printed at the end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { InputError } from '@aifab/core'
import { main } from '@aifab/cli'
import { checkProfileFitsTopology, parseProfile, parseTopology, type TopologyConfig } from '@aifab/topology'
import { genRingAllreduce, importHpccFlows, importHtsimCm, loadTrace, parseTrace, serializeTrace } from '@aifab/workload'
import { afterAll, describe, expect, it } from 'vitest'

const root = new URL('../', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'aifab-fuzz-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const RUNS = 3000
let tried = 0
afterAll(() => console.log(`fuzz: ${tried} inputs tried`))

/** Runs `f`: fine if it returns; if it throws, it must be one InputError line that starts with `source`. */
function acceptOrRefuse(f: () => unknown, source: string): void {
  tried++
  try {
    f()
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`expected an InputError, got ${(e as Error)?.stack ?? String(e)}`)
    expect(e.message).not.toContain('\n')
    expect(e.message.startsWith(`${source}: `), e.message).toBe(true)
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
/** Every path to a value inside a JSON document. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at)
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out))
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out)
  return out
}
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53 + 1, 1e308, -1e-9, 0.5, '', '0', 'NaN', [], {}, null, true),
)
/** Up to four edits (set a value, delete a key or element, add an unknown key) of a JSON document. */
const edits = fc.array(fc.tuple(fc.nat(), fc.constantFrom('set', 'delete', 'unknown'), nasty), { minLength: 1, maxLength: 4 })
type Edit = [number, string, Json]
function edited(base: Json, list: Edit[]): Json {
  const doc = structuredClone(base)
  for (const [n, what, value] of list) {
    const all = paths(doc)
    const path = all[n % all.length]!
    if (path.length === 0) continue
    let parent: any = doc
    for (const k of path.slice(0, -1)) parent = parent[k]
    const key = path[path.length - 1]!
    if (what === 'set') parent[key] = value
    else if (what === 'delete') Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key]
    else if (!Array.isArray(parent)) parent[`x${n % 7}`] = value
  }
  return doc
}

const trace = JSON.parse(JSON.stringify(genRingAllreduce({ ranks: 4, bytes: 64 << 10 }))) as Json
const traceText = serializeTrace(genRingAllreduce({ ranks: 4, bytes: 64 << 10 }), 'json') as string
const traceMsgpack = serializeTrace(genRingAllreduce({ ranks: 4, bytes: 64 << 10 }), 'msgpack') as Uint8Array
const readConfig = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8')) as Json
const smallTopo = parseTopology(readConfig('test/fixtures/leaf-spine-2x2x4.json'), 'topo') as TopologyConfig

describe('fuzzed inputs: accepted, or one line naming file and field', () => {
  it('trace JSON documents, edited', () => {
    fc.assert(fc.property(edits, (list) => acceptOrRefuse(() => parseTrace(edited(trace, list as Edit[]), 'fuzz.json'), 'fuzz.json')), { numRuns: RUNS, seed: 1 })
  })

  it('traces with cycles, self-sends and ranks beyond the topology, named', () => {
    const t = structuredClone(trace) as any
    t.ops[0].deps = [t.ops.length - 1]
    t.ops[t.ops.length - 1].deps = [0]
    expect(() => parseTrace(t, 'c.json')).toThrow(/c\.json: ops\[\d+\]\.deps: dependency cycle: op \d+ can never start/)
    const s = structuredClone(trace) as any
    s.ops[2].dst = s.ops[2].src
    expect(() => parseTrace(s, 's.json')).toThrow(/s\.json: ops\[2\]\.dst: expected a rank other than src/)
    const r = structuredClone(trace) as any
    r.ops[1].src = 9
    expect(() => parseTrace(r, 'r.json')).toThrow(/r\.json: ops\[1\]\.src: rank out of range 0\.\.3, got 9/)
    tried += 3
  })

  it('trace files cut short anywhere, JSON and msgpack, and random bytes', () => {
    fc.assert(
      fc.property(fc.nat(), fc.boolean(), fc.uint8Array({ maxLength: 64 }), (cut, msgpack, noise) => {
        const file = join(dir, msgpack ? 't.msgpack' : 't.json')
        const whole = msgpack ? traceMsgpack : new TextEncoder().encode(traceText)
        const bytes = cut % 5 === 0 ? noise : whole.subarray(0, cut % whole.length)
        writeFileSync(file, bytes)
        acceptOrRefuse(() => loadTrace(file), file)
      }),
      { numRuns: RUNS, seed: 2 },
    )
  })

  it('topology configs, edited', () => {
    const bases = ['test/fixtures/leaf-spine-2x2x4.json', 'configs/topologies/fat-tree-k8-100g.json', 'configs/topologies/rail-512gpu-400g.json'].map(readConfig)
    fc.assert(fc.property(fc.nat(), edits, (b, list) => acceptOrRefuse(() => parseTopology(edited(bases[b % bases.length]!, list as Edit[]), 'topo.json'), 'topo.json')), { numRuns: RUNS, seed: 3 })
  })

  it('profiles, edited, and checked against a topology', () => {
    const bases = ['configs/profiles/roce.json', 'configs/profiles/ai-ethernet.json'].map(readConfig)
    fc.assert(
      fc.property(fc.nat(), edits, (b, list) =>
        acceptOrRefuse(() => checkProfileFitsTopology(parseProfile(edited(bases[b % bases.length]!, list as Edit[]), 'p.json'), smallTopo, 'p.json'), 'p.json'),
      ),
      { numRuns: RUNS, seed: 4 },
    )
  })

  it('htsim connection matrices from a grammar of good and bad lines', () => {
    const num = fc.oneof(fc.nat({ max: 200 }), fc.constantFrom(-1, 0.5, 1e30), fc.constantFrom('x', '', '1e3'))
    const attr = fc.tuple(fc.constantFrom('id', 'start', 'size', 'prio', 'trigger', 'send_done_trigger', 'recv_done_trigger', 'bogus'), num).map(([k, v]) => `${k} ${v}`)
    const line = fc.oneof(
      fc.tuple(fc.constantFrom('Nodes', 'Connections', 'Triggers', 'Failures'), num).map(([h, v]) => `${h} ${v}`),
      fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 20 }), fc.array(attr, { maxLength: 5 })).map(([a, b, xs]) => `${a}->${b} ${xs.join(' ')}`),
      fc.tuple(num, fc.constantFrom('oneshot', 'multishot', 'barrier', 'sometimes'), num).map(([id, t, c]) => `trigger id ${id} ${t} count ${c}`),
      fc.constantFrom('# comment', '', 'failure 3', '0->1', '->', 'x'),
      fc.string({ maxLength: 20 }),
    )
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) =>
        acceptOrRefuse(() => parseTrace(importHtsimCm(['Nodes 16', ...lines].join('\n'), 'f.cm').trace, 'f.cm'), 'f.cm'),
      ),
      { numRuns: RUNS, seed: 5 },
    )
  })

  it('HPCC flow files from a grammar of good and bad lines', () => {
    const field = fc.oneof(fc.nat({ max: 40 }), fc.constantFrom(-3, 0.25, 1e20, 'x', '', '2.5e-3'))
    const line = fc.oneof(
      fc.array(field, { minLength: 6, maxLength: 6 }).map((f) => f.join(' ')),
      fc.array(field, { maxLength: 8 }).map((f) => f.join(' ')),
      fc.string({ maxLength: 16 }),
    )
    fc.assert(
      fc.property(fc.oneof(fc.nat({ max: 8 }), fc.constantFrom('x', '-1', '')), fc.array(line, { maxLength: 10 }), (count, lines) =>
        acceptOrRefuse(() => importHpccFlows([String(count), ...lines].join('\n'), 'flow.txt'), 'flow.txt'),
      ),
      { numRuns: RUNS, seed: 6 },
    )
  })

  it('CLI flags with random values: exit 0, 2 or 3, and a refusal is one line', async () => {
    const traceFile = join(dir, 'cli-ring.json')
    writeFileSync(traceFile, traceText)
    const flags = ['--seed', '--lb', '--nic', '--entropy', '--entropy-values', '--cc', '--cc-param', '--buffer', '--fault', '--pfc', '--ecn', '--int', '--trim', '--switch-latency-ns', '--qps-per-connection', '--max-sim-time-us', '--sample-us', '--format', '--window-bdp', '--rto-us']
    const value = fc.oneof(fc.constantFrom('0', '-1', '1e9', 'NaN', 'off', 'spray', 'reorder', 'dcqcn', 'hpcc', 'g=2', 'shared:0.5', 'loss:host0-leaf0:0:0.5', 'down:leaf0-spine0:1', '8,5', '1,2,3', 'true', 'json,md'), fc.string({ maxLength: 8 }))
    const stdout = process.stdout.write
    const stderr = process.stderr.write
    let out = ''
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...flags), value), { minLength: 1, maxLength: 3 }), async (pairs) => {
        tried++
        out = ''
        process.stdout.write = (() => true) as typeof process.stdout.write
        process.stderr.write = ((s: string) => ((out += s), true)) as typeof process.stderr.write
        let code: number
        try {
          code = await main(['replay', traceFile, '--topology', join(root, 'test/fixtures/leaf-spine-2x2x4.json'), '--profile', join(root, 'configs/profiles/roce.json'), '--max-events', '200000', '--quiet', ...pairs.flat()])
        } finally {
          process.stdout.write = stdout
          process.stderr.write = stderr
        }
        expect([0, 2, 3], `${pairs.flat().join(' ')}: ${out}`).toContain(code)
        if (code === 2) {
          expect(out.trim().split('\n'), out).toHaveLength(1)
          expect(out).toMatch(/^aifab: /)
        }
      }),
      { numRuns: 300, seed: 7 },
    )
  })
})
