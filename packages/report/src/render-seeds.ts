import type { Report } from './report.ts'
import { fmtTime, markdownTable } from './render-summary.ts'
import { csvTable } from './render-csv.ts'
import { meanCi95 } from './seed-stats.ts'

/** One profile's headline figures over several seeds. */
export interface SeedRuns {
  profile: string
  runs: { seed: number; outcome: string; completionTimePs: number | null; efficiency: number | null; busbwGbps: number | null }[]
}

/** A run's headline figures, what a seed sweep keeps of it. */
export function seedRun(r: Report): SeedRuns['runs'][number] {
  return { seed: r.seed, outcome: r.outcome, completionTimePs: r.summary.completionTimePs, efficiency: r.summary.efficiency, busbwGbps: r.summary.busbwGbps }
}

const stat = (xs: (number | null)[]) => {
  const done = xs.filter((x): x is number => x !== null)
  return done.length === 0 ? null : meanCi95(done)
}

/** The sweep as JSON: every run, and per profile the mean and 95% interval of each headline figure (complete runs only). */
export function seedsDocument(traceName: string, sweep: readonly SeedRuns[]): unknown {
  return {
    format: 'aifab.seeds',
    version: 1,
    trace: traceName,
    profiles: sweep.map((p) => ({
      ...p,
      completionTimePs: stat(p.runs.map((r) => r.completionTimePs)),
      efficiency: stat(p.runs.map((r) => r.efficiency)),
      busbwGbps: stat(p.runs.map((r) => r.busbwGbps)),
    })),
  }
}

export function renderSeedsCsv(sweep: readonly SeedRuns[]): string {
  return csvTable(
    ['profile', 'seed', 'outcome', 'completion_time_us', 'efficiency_payload', 'busbw_gbps'],
    sweep.flatMap((p) => p.runs.map((r) => [p.profile, r.seed, r.outcome, r.completionTimePs === null ? null : r.completionTimePs / 1e6, r.efficiency, r.busbwGbps])),
  )
}

/** Mean +- 95% half-width per profile, and each candidate's efficiency against the baseline's. */
export function renderSeedsSummary(traceName: string, sweep: readonly SeedRuns[]): string {
  const seeds = sweep[0]!.runs.map((r) => r.seed)
  const pm = (s: ReturnType<typeof stat>, f: (x: number) => string) => (s === null ? '-' : s.halfWidth === null ? f(s.mean) : `${f(s.mean)} +- ${f(s.halfWidth)}`)
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`
  const rows: string[][] = [
    ['complete runs', ...sweep.map((p) => `${p.runs.filter((r) => r.outcome === 'complete').length} / ${p.runs.length}`)],
    ['completion time', ...sweep.map((p) => pm(stat(p.runs.map((r) => r.completionTimePs)), fmtTime))],
    ['efficiency, payload', ...sweep.map((p) => pm(stat(p.runs.map((r) => r.efficiency)), pct))],
  ]
  if (sweep.some((p) => p.runs.some((r) => r.busbwGbps !== null))) rows.push(['busbw (Gb/s)', ...sweep.map((p) => pm(stat(p.runs.map((r) => r.busbwGbps)), (x) => x.toFixed(1)))])
  const out = [
    `# aifab: ${traceName} over ${seeds.length} seeds (${seeds.join(', ')})`,
    '',
    'Mean +- half-width of the 95% confidence interval (Student t), over the runs that completed.',
    '',
    ...markdownTable(['', ...sweep.map((p) => p.profile)], rows),
  ]
  const base = stat(sweep[0]!.runs.map((r) => r.efficiency))
  if (base !== null) {
    out.push('')
    for (const p of sweep.slice(1)) {
      const e = stat(p.runs.map((r) => r.efficiency))
      if (e !== null) out.push(`${p.profile} reaches ${pm(e, pct)} of line rate, ${(e.mean / base.mean).toFixed(2)}x ${sweep[0]!.profile} (${pm(base, pct)}), ${over(p, sweep[0]!, seeds.length)}.`)
    }
  }
  return out.join('\n') + '\n'
}

/** Which seeds a comparison's means stand on: all of them, or the runs of each side that completed. */
function over(p: SeedRuns, base: SeedRuns, seeds: number): string {
  const done = (q: SeedRuns) => q.runs.filter((r) => r.outcome === 'complete').length
  const [mine, theirs] = [done(p), done(base)]
  return mine === seeds && theirs === seeds ? `over ${seeds} seeds` : `over the runs that completed (${mine} and ${theirs} of ${seeds} seeds)`
}
