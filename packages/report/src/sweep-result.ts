import type { Report } from './report.ts'
import { meanCi95 } from './seed-stats.ts'

/** A value of a sweep axis as the sweep file wrote it (a list of strings: several --fault or --cc-param values at once). */
export type SweepAxisValue = string | number | boolean | string[]

/**
 * One axis of a sweep's grid. `name` is what labels and CSV columns show
 * (`profile`, `seed`, `bytes`, `window-bdp`); `field` where it is in the sweep
 * file; `labels` the short text of each value (a profile's file name without
 * `.json`); `numbers` each value as a number when every value is one (the
 * chart's x axis), else null.
 */
export interface SweepAxis {
  name: string
  field: string
  values: SweepAxisValue[]
  labels: string[]
  numbers: number[] | null
}

/** What a sweep keeps of one point's report: its headline figures, null where the run did not give them. */
export interface SweepFigures {
  /** The replay outcome, or `error` when the point could not run at all. */
  outcome: string
  /** Why the point failed or its congestion controller stopped it; null otherwise. */
  error: string | null
  /** The first broken invariant, `invariant: element: detail`; null otherwise. */
  violation: string | null
  completionTimePs: number | null
  algbwGbps: number | null
  busbwGbps: number | null
  efficiency: number | null
  efficiencyWire: number | null
  drops: number | null
  trims: number | null
  retransmittedPackets: number | null
  timeouts: number | null
  ecnMarks: number | null
  pfcPauses: number | null
  packetHops: number | null
  events: number | null
}

/** One point of the grid and its figures. `at` holds the index of its value on each axis, in the order of `axes`. */
export interface SweepPoint extends SweepFigures {
  index: number
  id: string
  label: string
  at: number[]
}

export type SweepStat = { mean: number; halfWidth: number | null; n: number } | null

/** The points that differ only by seed: mean and 95% interval (Student t) of each headline figure over the complete runs. */
export interface SweepSeedGroup {
  label: string
  /** Like a point's `at`, with -1 for the seed axis. */
  at: number[]
  runs: number
  complete: number
  completionTimePs: SweepStat
  efficiency: SweepStat
  busbwGbps: SweepStat
}

/**
 * What `sweep.json` holds, and every other summary file is rendered from:
 * the spec and the hashes of the files it read (so `aifab merge` can tell
 * shards of one sweep from another's), the axes, and the points run here
 * (all of them, or one shard's). Nothing in it depends on the worker count or
 * the wall clock, so the same sweep gives the same bytes.
 */
export interface SweepDocument {
  format: 'aifab.sweep-result'
  version: 1
  name: string
  /** sha256 of the canonical JSON of `{ spec, inputs }`. */
  specSha256: string
  spec: unknown
  inputs: { file: string; sha256: string }[]
  /** The per-point formats (--format) every point's directory holds. */
  formats: string[]
  axes: SweepAxis[]
  /** Points in the whole grid. */
  points: number
  /** This run's slice (--shard i/N: points whose index % N == i - 1), or null for all points. */
  shard: { index: number; count: number } | null
  results: SweepPoint[]
  /** Per combination of the other axes, the statistics over seeds; null when seeds is not an axis of two or more. */
  overSeeds: SweepSeedGroup[] | null
}

/** A run's headline figures. */
export function sweepFigures(r: Report, violation: string | null): SweepFigures {
  const s = r.summary
  return {
    outcome: r.outcome,
    error: r.error,
    violation,
    completionTimePs: s.completionTimePs,
    algbwGbps: s.algbwGbps,
    busbwGbps: s.busbwGbps,
    efficiency: s.efficiency,
    efficiencyWire: s.efficiencyWire,
    drops: s.drops,
    trims: s.trims,
    retransmittedPackets: s.retransmittedPackets,
    timeouts: s.timeouts,
    ecnMarks: s.ecnMarks,
    pfcPauses: s.pfcPauses,
    packetHops: s.packetHops,
    events: s.events,
  }
}

/** The figures of a point that could not run (its worker threw or died). */
export function failedFigures(error: string): SweepFigures {
  return {
    outcome: 'error',
    error,
    violation: null,
    completionTimePs: null,
    algbwGbps: null,
    busbwGbps: null,
    efficiency: null,
    efficiencyWire: null,
    drops: null,
    trims: null,
    retransmittedPackets: null,
    timeouts: null,
    ecnMarks: null,
    pfcPauses: null,
    packetHops: null,
    events: null,
  }
}

/**
 * A point's readable label: the profile always, bare; every other axis with
 * two or more values as `name=value`, in axis order (`roce window-bdp=2 seed=3`).
 * An index of -1 leaves its axis out.
 */
export function sweepLabel(axes: readonly SweepAxis[], at: readonly number[]): string {
  return axes
    .map((a, i) => {
      if (at[i]! < 0 || (a.values.length < 2 && a.name !== 'profile')) return null
      return a.name === 'profile' ? a.labels[at[i]!]! : `${a.name}=${a.labels[at[i]!]!}`
    })
    .filter((s): s is string => s !== null)
    .join(' ')
}

/** The sweep document of these results (sorted by index), with the statistics over seeds. */
export function sweepDocument(head: Omit<SweepDocument, 'format' | 'version' | 'overSeeds'>): SweepDocument {
  const results = [...head.results].sort((a, b) => a.index - b.index)
  // Keys in a fixed order whatever object `head` came from (a run, or a shard's sweep.json read back): the same bytes.
  const h = head
  return { format: 'aifab.sweep-result', version: 1, name: h.name, specSha256: h.specSha256, spec: h.spec, inputs: h.inputs, formats: h.formats, axes: h.axes, points: h.points, shard: h.shard, results, overSeeds: overSeeds(h.axes, results) }
}

function overSeeds(axes: readonly SweepAxis[], results: readonly SweepPoint[]): SweepSeedGroup[] | null {
  const seedAxis = axes.findIndex((a) => a.name === 'seed')
  if (seedAxis < 0 || axes[seedAxis]!.values.length < 2) return null
  const groups = new Map<string, { at: number[]; points: SweepPoint[] }>()
  for (const p of results) {
    const at = p.at.map((v, i) => (i === seedAxis ? -1 : v))
    const key = at.join(',')
    const g = groups.get(key) ?? { at, points: [] }
    g.points.push(p)
    groups.set(key, g)
  }
  const stat = (xs: (number | null)[]): SweepStat => {
    const done = xs.filter((x): x is number => x !== null)
    return done.length === 0 ? null : meanCi95(done)
  }
  return [...groups.values()].map(({ at, points }) => {
    const complete = points.filter((p) => p.outcome === 'complete')
    return {
      label: sweepLabel(axes, at),
      at,
      runs: points.length,
      complete: complete.length,
      completionTimePs: stat(complete.map((p) => p.completionTimePs)),
      efficiency: stat(complete.map((p) => p.efficiency)),
      busbwGbps: stat(complete.map((p) => p.busbwGbps)),
    }
  })
}
