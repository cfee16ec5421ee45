import { existsSync } from 'node:fs'
import { basename, dirname, relative, resolve } from 'node:path'
import { InputError, parseByteSize } from '@aifab/core'
import { BUILTIN_CC } from '@aifab/nic'
import { PLACEMENTS, publishedCdf } from '@aifab/workload'
import type { SweepAxisValue } from '@aifab/report'
import { ALLREDUCE_ALGORITHMS, GEN_KINDS } from './gen-command.ts'
import { PROFILE_FLAGS, readJson } from './load-config.ts'
import { parseSeeds } from './parse-seeds.ts'

export const SWEEP_FORMAT = 'aifab.sweep'
export const SWEEP_VERSION = 1
const FIELDS = ['format', 'version', 'name', 'topology', 'trace', 'traces', 'gen', 'profiles', 'seeds', 'overrides', 'limits', 'check'] as const
/** What `gen` takes: the flags of `aifab gen` (but --topology, the sweep's own, and --output). */
export const GEN_FIELDS = ['kind', 'algorithm', 'ranks', 'bytes', 'channels', 'chunk', 'placement', 'hosts', 'load', 'durationUs', 'cdf', 'seed', 'name'] as const
/** What `overrides` takes: every flag that overrides a profile field, and --fault. */
export const OVERRIDE_FLAGS = [...Object.keys(PROFILE_FLAGS), 'fault'] as const
const LIMIT_FIELDS = ['maxSimTimeUs', 'maxEvents', 'sampleUs'] as const
/** A grid larger than this is a mistake more often than a plan (and its points would not fit one directory listing). */
export const MAX_SWEEP_POINTS = 100_000

/** A file the sweep names: as written (relative to the sweep file) and as read (relative to the working directory). */
export interface SweepFileRef {
  written: string
  path: string
}

/**
 * A field of `gen` or `overrides`: one value (fixed) or a list (an axis).
 * `values` are as written; `runValues` as a run takes them (a size or a
 * boolean as text, a module or CDF path relative to the working directory).
 */
export interface SweepEntry {
  key: string
  /** Where it is in the sweep file, e.g. `overrides.window-bdp`. */
  field: string
  values: SweepAxisValue[]
  runValues: (string | number | string[])[]
  axis: boolean
}

/** A sweep file, checked: every field known and well typed, every file it names present. */
export interface SweepSpec {
  file: string
  name: string
  topology: SweepFileRef
  /** `trace` (one) or `traces` (an axis); null with `gen`. */
  traces: SweepFileRef[] | null
  /** The traces came as a list (`traces`), not one `trace`. */
  tracesListed: boolean
  gen: SweepEntry[] | null
  profiles: SweepFileRef[]
  seeds: number[]
  overrides: SweepEntry[]
  limits: { maxSimTimeUs: number | null; maxEvents: number | null; sampleUs: number | null }
  check: boolean
  /** The spec as written, seeds as a list and defaults filled in: what sweep.json records and its hash covers. */
  canonical: Record<string, unknown>
}

const describe = (v: unknown) => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : JSON.stringify(v))

/**
 * Reads and checks a sweep file. Paths in it are relative to its directory.
 * Unlike a profile, an unknown field is an error, not a warning: a misspelt
 * axis would otherwise run a whole grid without it.
 */
export function parseSweepSpec(file: string): SweepSpec {
  const json = readJson(file)
  const fail = (field: string, expected: string): never => {
    throw new InputError(file, field, expected)
  }
  const object = (v: unknown, field: string, known: readonly string[]): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, `expected an object, got ${describe(v)}`)
    const o = v as Record<string, unknown>
    for (const k of Object.keys(o)) if (!known.includes(k)) fail(field ? `${field}.${k}` : k, `unknown field; expected one of: ${known.join(', ')}`)
    return o
  }
  const o = object(json, '', FIELDS)
  if (o.format !== SWEEP_FORMAT) fail('format', `expected "${SWEEP_FORMAT}", got ${describe(o.format)}`)
  if (o.version !== SWEEP_VERSION) fail('version', `expected ${SWEEP_VERSION} (the only version this aifab reads), got ${describe(o.version)}`)
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) fail('name', `expected a non-empty string, got ${describe(o.name)}`)
  const name = (o.name as string | undefined) ?? basename(file).replace(/\.json$/, '')

  const dir = dirname(file)
  const fileRef = (v: unknown, field: string): SweepFileRef => {
    if (typeof v !== 'string' || v === '') fail(field, `expected a file path (relative to the sweep file), got ${describe(v)}`)
    const path = relative(process.cwd(), resolve(dir, v as string)) || '.'
    if (!existsSync(path)) fail(field, `no such file: ${path} (paths in a sweep file are relative to its directory)`)
    return { written: v as string, path }
  }
  /** A non-empty list of distinct values: a point per value would otherwise run twice. */
  const list = (v: unknown, field: string, what: string): unknown[] => {
    if (!Array.isArray(v) || v.length === 0) fail(field, `expected a non-empty list of ${what}, got ${describe(v)}`)
    const seen = new Map<string, number>()
    ;(v as unknown[]).forEach((x, i) => {
      const k = JSON.stringify(x)
      if (seen.has(k)) fail(`${field}[${i}]`, `expected distinct values; ${k} is also ${field}[${seen.get(k)}]`)
      seen.set(k, i)
    })
    return v as unknown[]
  }

  const topology = fileRef(o.topology, 'topology')

  const sources = (['trace', 'traces', 'gen'] as const).filter((k) => o[k] !== undefined)
  if (sources.length === 0) fail('trace', 'expected the traffic: trace (a file), traces (a list of files, an axis) or gen (a generator, as aifab gen)')
  if (sources.length > 1) fail(sources[1]!, `give one of trace, traces and gen, not ${sources.join(' and ')}`)
  let traces: SweepFileRef[] | null = null
  let gen: SweepEntry[] | null = null
  if (o.trace !== undefined) traces = [fileRef(o.trace, 'trace')]
  else if (o.traces !== undefined) traces = list(o.traces, 'traces', 'trace files').map((t, i) => fileRef(t, `traces[${i}]`))
  else gen = parseGen(object(o.gen, 'gen', GEN_FIELDS), fail, list, fileRef)

  if (o.profiles === undefined) fail('profiles', 'expected a list of profile files (configs/profiles/), an axis')
  const profiles = list(o.profiles, 'profiles', 'profile files').map((p, i) => fileRef(p, `profiles[${i}]`))

  let seeds = [1]
  if (typeof o.seeds === 'string') seeds = parseSeeds(o.seeds, file, 'seeds')
  else if (typeof o.seeds === 'number') seeds = parseSeeds(String(o.seeds), file, 'seeds')
  else if (o.seeds !== undefined) {
    const xs = list(o.seeds, 'seeds', 'integer seeds, or a range such as "1..8"')
    xs.forEach((s, i) => {
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 0xffffffff) fail(`seeds[${i}]`, `expected an integer in 0..4294967295, got ${describe(s)}`)
    })
    seeds = parseSeeds(xs.join(','), file, 'seeds')
  }

  const overrides: SweepEntry[] = []
  if (o.overrides !== undefined) {
    const ov = object(o.overrides, 'overrides', OVERRIDE_FLAGS)
    for (const [flag, v] of Object.entries(ov)) overrides.push(parseOverride(flag, v, fail, list, fileRef))
  }

  const limits = { maxSimTimeUs: null as number | null, maxEvents: null as number | null, sampleUs: null as number | null }
  if (o.limits !== undefined) {
    const l = object(o.limits, 'limits', LIMIT_FIELDS)
    for (const k of LIMIT_FIELDS) {
      const v = l[k]
      if (v === undefined) continue
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`limits.${k}`, `expected a positive number, got ${describe(v)}`)
      limits[k] = v as number
    }
  }
  if (o.check !== undefined && typeof o.check !== 'boolean') fail('check', `expected true or false, got ${describe(o.check)}`)

  const axes = [...(traces ? [traces.length] : []), ...(gen ?? []).filter((e) => e.axis).map((e) => e.values.length), profiles.length, ...overrides.filter((e) => e.axis).map((e) => e.values.length), seeds.length]
  const points = axes.reduce((a, b) => a * b, 1)
  if (points > MAX_SWEEP_POINTS) fail('', `the grid has ${points} points (${axes.join(' x ')}); expected at most ${MAX_SWEEP_POINTS}`)

  const canonical: Record<string, unknown> = { format: SWEEP_FORMAT, version: SWEEP_VERSION, name, topology: topology.written }
  if (o.trace !== undefined) canonical.trace = o.trace
  if (o.traces !== undefined) canonical.traces = o.traces
  if (o.gen !== undefined) canonical.gen = o.gen
  Object.assign(canonical, { profiles: o.profiles, seeds, overrides: o.overrides ?? {}, limits, check: o.check ?? true })
  return { file, name, topology, traces, tracesListed: o.traces !== undefined, gen, profiles, seeds, overrides, limits, check: (o.check as boolean | undefined) ?? true, canonical }
}

type Fail = (field: string, expected: string) => never
type List = (v: unknown, field: string, what: string) => unknown[]
type FileRefOf = (v: unknown, field: string) => SweepFileRef

/** A field's values: a list is an axis, anything else one fixed value. */
function entry(key: string, field: string, v: unknown, list: List, what: string, check: (x: unknown, field: string) => string | number | string[]): SweepEntry {
  const axis = Array.isArray(v)
  const values = axis ? list(v, field, what) : [v]
  const runValues = values.map((x, i) => check(x, axis ? `${field}[${i}]` : field))
  return { key, field, values: values as SweepAxisValue[], runValues, axis }
}

function parseGen(g: Record<string, unknown>, fail: Fail, list: List, fileRef: FileRefOf): SweepEntry[] {
  if (g.kind === undefined) fail('gen.kind', `expected what to generate: one of ${GEN_KINDS.join(', ')}`)
  if (g.ranks === undefined) fail('gen.ranks', 'expected the number of ranks')
  const choice = (choices: readonly string[]) => (x: unknown, f: string) => (typeof x === 'string' && choices.includes(x) ? x : fail(f, `expected one of ${choices.join(', ')}, got ${describe(x)}`))
  const int = (min: number, max: number) => (x: unknown, f: string) => (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max ? x : fail(f, `expected an integer in ${min}..${max}, got ${describe(x)}`))
  const size = (x: unknown, f: string) => {
    const bytes = typeof x === 'number' ? x : typeof x === 'string' ? parseByteSize(x) : NaN
    if (!Number.isInteger(bytes) || bytes < 1) fail(f, `expected a size such as 1048576, "64MiB" or "2MB", got ${describe(x)}`)
    return String(x)
  }
  const number = (x: unknown, f: string) => (typeof x === 'number' && Number.isFinite(x) ? x : fail(f, `expected a number, got ${describe(x)}`))
  const text = (x: unknown, f: string) => (typeof x === 'string' && x !== '' ? x : fail(f, `expected a non-empty string, got ${describe(x)}`))
  const checks: Record<(typeof GEN_FIELDS)[number], (x: unknown, f: string) => string | number> = {
    kind: choice(GEN_KINDS),
    algorithm: choice(ALLREDUCE_ALGORITHMS),
    ranks: int(1, 1 << 20),
    bytes: size,
    channels: int(1, 1 << 20),
    chunk: size,
    placement: choice(PLACEMENTS),
    hosts: text,
    load: number,
    durationUs: number,
    // A published CDF by name, or a file (relative to the sweep file).
    cdf: (x, f) => (typeof x === 'string' && publishedCdf(x) !== undefined ? x : fileRef(x, f).path),
    seed: int(0, 0xffffffff),
    name: text,
  }
  // In the file's order, as the overrides: that order nests the axes.
  const fields = Object.keys(g).filter((k): k is (typeof GEN_FIELDS)[number] => (GEN_FIELDS as readonly string[]).includes(k) && g[k] !== undefined)
  return fields.map((k) => entry(k, `gen.${k}`, g[k], list, 'values', checks[k]))
}

function parseOverride(flag: string, v: unknown, fail: Fail, list: List, fileRef: FileRefOf): SweepEntry {
  const field = `overrides.${flag}`
  // --fault and --cc-param repeat: one value is a string, or a list of strings applied together.
  const repeatable = flag === 'fault' || flag === 'cc-param'
  const check = (x: unknown, f: string): string | number | string[] => {
    if (repeatable) {
      if (typeof x === 'string') return [x]
      // An empty list is none: the "no fault" value of a fault axis.
      if (Array.isArray(x) && x.every((s) => typeof s === 'string')) return x as string[]
      return fail(f, `expected a string like the flag takes, or a list of them applied together ([] for none), got ${describe(x)}`)
    }
    if (typeof x === 'boolean') return String(x)
    if (typeof x === 'number' && Number.isFinite(x)) return x
    if (typeof x !== 'string') return fail(f, `expected a value like the flag --${flag} takes (a string, number or true/false), got ${describe(x)}`)
    // A congestion-control module is a path relative to the sweep file; a run takes it relative to the working directory.
    if (flag === 'cc' && BUILTIN_CC[x] === undefined && /[./\\]/.test(x)) {
      const p = fileRef(x, f).path
      return p.startsWith('.') || p.startsWith('/') ? p : `./${p}`
    }
    return x
  }
  // For --fault and --cc-param too a list is an axis: ["a", "b"] runs a, then b; [["a", "b"]] runs both together.
  return entry(flag, field, v, list, 'values', check)
}
