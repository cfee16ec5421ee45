// ECMP collisions must emerge from per-flow hashing, not from a formula:
// n flows from n hosts under one leaf to n hosts under another, over n spines.
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

const n = 8
const topo = leafSpine({ leaves: 2, spines: n, hostsPerLeaf: n })
const flows: [number, number][] = Array.from({ length: n }, (_, i) => [i, n + i])
const bytes = 4 * 1024 * 1024
const trace = flowsTrace(flows, bytes, 2 * n)

// Goodput of one flow alone on the fabric: headers and path latency, no sharing.
// Normalizing by it leaves only the effect of sharing paths.
const lone = simulate(flowsTrace([[0, n]], bytes, 2 * n), topo, profile('roce'), 1).report.summary.goodputMeanFraction

/** Mean over flows of goodput relative to a lone flow, one value per seed. */
function normalizedGoodput(prof: ReturnType<typeof profile>, seeds: number) {
  return Array.from({ length: seeds }, (_, i) => {
    const { report, fabric } = simulate(trace, topo, prof, i + 1)
    expect(report.outcome).toBe('complete')
    expect(report.conservation.ok).toBe(true)
    // Leaf 0's uplinks: ports hostsPerLeaf .. hostsPerLeaf + spines - 1 of switch 0.
    const uplinksUsed = fabric.switches[0]!.ports.slice(n).filter((p) => p.txDataPayloadBytes > 0).length
    return { value: report.summary.goodputMeanFraction / lone, uplinksUsed, report }
  })
}

describe('ECMP collisions (n = 8 flows over 8 spines)', () => {
  // The mean over 200 seeds against 1-(1-1/n)^n is a row of the validation suite (test/validation/).
  it('ecmp: flows sharing a path split it evenly, so n x mean goodput = paths used, run by run', () => {
    const runs = normalizedGoodput(profile('roce'), 20)
    for (const r of runs) expect(r.value * n).toBeCloseTo(r.uplinksUsed, 0)
    // Collisions do happen: some seed leaves a path unused.
    expect(runs.some((r) => r.uplinksUsed < n)).toBe(true)
  })

  it('adaptive + reorder: every flow gets the full line rate', () => {
    const runs = normalizedGoodput(profile('ai-ethernet'), 10)
    for (const r of runs) {
      expect(r.value).toBeGreaterThan(0.97)
      expect(r.value).toBeLessThanOrEqual(1.005)
      expect(r.uplinksUsed).toBe(n)
    }
  })

  it('random spray + reorder lands in between: coin-flip path choice leaves some uplinks idle while others queue', () => {
    const spray = normalizedGoodput(profile('ai-ethernet', { switch: { loadBalancing: 'spray' } }), 10)
    const mean = spray.reduce((s, r) => s + r.value, 0) / spray.length
    expect(mean).toBeGreaterThan(0.75)
    expect(mean).toBeLessThan(0.95)
    // No loss here: what spray loses is waiting, not retransmission.
    for (const r of spray) expect(r.report.summary.drops).toBe(0)
  })
})
