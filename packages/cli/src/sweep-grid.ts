import { basename, extname } from 'node:path'
import { InputError, parseByteSize } from '@aifab/core'
import { sweepLabel, type SweepAxis, type SweepAxisValue } from '@aifab/report'
import type { GenSpec } from './gen-command.ts'
import type { ProfileOverrides } from './load-config.ts'
import type { SweepEntry, SweepFileRef, SweepSpec } from './sweep-spec.ts'

/** What a point replays: a trace file, or a trace generated as `aifab gen` would (`file` then names the generator, for the report). */
export type PointTrace = { file: string; gen: null } | { file: string; gen: GenSpec }

/** One run of the grid, in plain data (it travels to a worker thread). */
export interface GridPoint {
  index: number
  id: string
  label: string
  /** The index of its value on each axis. */
  at: number[]
  trace: PointTrace
  /** Where its trace is in the sweep file (`traces[2]`, `gen`), for errors. */
  traceField: string
  /** The profile file, relative to the working directory, and where the sweep file names it. */
  profile: string
  profileField: string
  overrides: ProfileOverrides
  seed: number
}

export interface SweepGrid {
  axes: SweepAxis[]
  points: GridPoint[]
}

const text = (v: SweepAxisValue) => (Array.isArray(v) ? (v.length === 0 ? 'none' : v.join('+')) : String(v))

/** Short names of files: the name without its extension, or the path as written where two would look the same. */
function shortNames(refs: readonly SweepFileRef[]): string[] {
  const short = refs.map((r) => basename(r.written, extname(r.written)))
  return short.every((s, i) => short.indexOf(s) === i) ? short : refs.map((r) => r.written)
}

/** Each value as a number when every one is: numbers themselves, or sizes (`1MiB` is 1048576) for bytes and chunk. */
function numbersOf(key: string, values: readonly SweepAxisValue[]): number[] | null {
  if (values.every((v) => typeof v === 'number')) return values as number[]
  if (key === 'bytes' || key === 'chunk') return values.map((v) => (typeof v === 'number' ? v : parseByteSize(String(v))))
  return null
}

const entryAxis = (e: SweepEntry): SweepAxis => ({
  // gen.seed seeds the generator, not the run: its own name.
  name: e.field === 'gen.seed' ? 'gen-seed' : e.key,
  field: e.field,
  values: e.values,
  // A congestion-control module is labelled by its file name, as profiles and traces are.
  labels: e.key === 'cc' ? shortNames(e.values.map((v) => ({ written: String(v), path: '' }))) : e.values.map(text),
  numbers: numbersOf(e.key, e.values),
})

/**
 * The grid's axes and points. Axes nest in a fixed order, the first
 * outermost: the trace (`traces`, or each `gen` field given as a list, in the
 * order the file lists them), `profiles`, each `overrides` field given as a
 * list (in the file's order), `seeds` innermost. Point i is the i-th
 * combination in that order, id `p` + i on four digits or more (p0000 first).
 */
export function expandGrid(spec: SweepSpec): SweepGrid {
  const axes: SweepAxis[] = []
  const traceAxis = spec.traces === null ? -1 : axes.push({ name: 'trace', field: spec.tracesListed ? 'traces' : 'trace', values: spec.traces.map((t) => t.written), labels: shortNames(spec.traces), numbers: null }) - 1
  const gen = (spec.gen ?? []).map((e) => ({ e, axis: e.axis ? axes.push(entryAxis(e)) - 1 : -1 }))
  const profileAxis = axes.push({ name: 'profile', field: 'profiles', values: spec.profiles.map((p) => p.written), labels: shortNames(spec.profiles), numbers: null }) - 1
  const overrides = spec.overrides.map((e) => ({ e, axis: e.axis ? axes.push(entryAxis(e)) - 1 : -1 }))
  const seedAxis = axes.push({ name: 'seed', field: 'seeds', values: spec.seeds, labels: spec.seeds.map(String), numbers: spec.seeds }) - 1

  const sizes = axes.map((a) => a.values.length)
  const n = sizes.reduce((a, b) => a * b, 1)
  const points: GridPoint[] = []
  for (let index = 0; index < n; index++) {
    // Mixed radix, the last axis fastest.
    const at = new Array<number>(sizes.length)
    for (let k = sizes.length - 1, rest = index; k >= 0; k--) {
      at[k] = rest % sizes[k]!
      rest = Math.floor(rest / sizes[k]!)
    }
    const valueOf = ({ e, axis }: { e: SweepEntry; axis: number }) => e.runValues[axis < 0 ? 0 : at[axis]!]!
    let trace: PointTrace
    let traceField: string
    if (spec.traces !== null) {
      const t = at[traceAxis]!
      trace = { file: spec.traces[t]!.path, gen: null }
      traceField = spec.tracesListed ? `traces[${t}]` : 'trace'
    } else {
      const g: Record<string, unknown> = { algorithm: 'ring', channels: 1, placement: 'packed', seed: 1, topology: spec.topology.path }
      for (const x of gen) g[x.e.key] = valueOf(x)
      // The report's trace.file for a generated trace: the generator and its values as written.
      const file = 'gen:' + gen.map(({ e, axis }) => `${e.key}=${text(e.values[axis < 0 ? 0 : at[axis]!]!)}`).join(',')
      trace = { file, gen: g as unknown as GenSpec }
      traceField = 'gen'
    }
    const ov: ProfileOverrides = {}
    for (const x of overrides) (ov as Record<string, unknown>)[x.e.key] = valueOf(x)
    points.push({
      index,
      id: pointId(index, n),
      label: sweepLabel(axes, at),
      at,
      trace,
      traceField,
      profile: spec.profiles[at[profileAxis]!]!.path,
      profileField: `profiles[${at[profileAxis]!}]`,
      overrides: ov,
      seed: spec.seeds[at[seedAxis]!]!,
    })
  }
  return { axes, points }
}

/** The id of point `index` of `points`: p0000, p0001, ... (more digits beyond 10,000 points). */
export function pointId(index: number, points: number): string {
  return `p${String(index).padStart(Math.max(4, String(points - 1).length), '0')}`
}

/** `--shard i/N`: the i-th of N slices, 1-based. */
export interface Shard {
  index: number
  count: number
}

export function parseShard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim())
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || count < 1 || index < 1 || index > count || count > 1_000_000) throw new InputError('--shard', '', `expected i/N with 1 <= i <= N (e.g. 2/4: the second of four slices), got ${JSON.stringify(v)}`)
  return { index, count }
}

/**
 * The points of a shard: those whose index % N == i - 1. Dealt round-robin,
 * not in contiguous slices, so each shard gets its share of every profile
 * and message size (a slow profile does not all land on one shard).
 */
export function shardPoints<P extends { index: number }>(points: readonly P[], shard: Shard | null): P[] {
  return shard === null ? [...points] : points.filter((p) => p.index % shard.count === shard.index - 1)
}
