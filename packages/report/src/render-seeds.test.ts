import { describe, expect, it } from 'vitest'
import { renderSeedsSummary, type SeedRuns } from './render-seeds.ts'

const run = (seed: number, outcome: string, efficiency: number | null): SeedRuns['runs'][number] => ({ seed, outcome, completionTimePs: efficiency === null ? null : 1e9, efficiency, busbwGbps: efficiency === null ? null : 100 })

describe('seeds summary', () => {
  it("says which runs the comparison's means stand on", () => {
    const base: SeedRuns = { profile: 'roce', runs: [run(1, 'complete', 0.2), run(2, 'complete', 0.2), run(3, 'complete', 0.2)] }
    const all: SeedRuns = { profile: 'aie', runs: [run(1, 'complete', 0.8), run(2, 'complete', 0.8), run(3, 'complete', 0.8)] }
    expect(renderSeedsSummary('t', [base, all])).toMatch(/4\.00x roce .*, over 3 seeds\.\n$/)
    // An interrupted sweep: the means are over the runs that completed, and the sentence says how many on each side.
    const cut: SeedRuns = { profile: 'aie', runs: [run(1, 'complete', 0.8), run(2, 'interrupted', null), run(3, 'not-run', null)] }
    expect(renderSeedsSummary('t', [base, cut])).toMatch(/4\.00x roce .*, over the runs that completed \(1 and 3 of 3 seeds\)\.\n$/)
  })
})
