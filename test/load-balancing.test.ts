// Which load balancer evens out the uplinks? A 64-rank permutation of 4 MiB
// flows on the 8x8x8 fabric, reorder NICs, no PFC.
import { genPermutation } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'

const topo = leafSpine()
const trace = genPermutation({ ranks: 64, bytes: 4 << 20, seed: 1 })

function run(p: ReturnType<typeof profile>) {
  const { report } = simulate(trace, topo, p, 1)
  expect(report.outcome).toBe('complete')
  expect(report.conservation.ok).toBe(true)
  const tier = (name: string) => report.tiers.find((t) => t.tier === name)!
  return { report, leafUp: tier('leaf-up').imbalance, spineDown: tier('spine-down').imbalance }
}

describe('load balancing on a permutation', () => {
  const ecmp = run(profile('ai-ethernet', { switch: { loadBalancing: 'ecmp' } }))
  const adaptive = run(profile('ai-ethernet'))
  const reps = run(profile('ai-ethernet', { switch: { loadBalancing: 'ecmp' }, nic: { entropyPolicy: 'reps' } }))
  // Flowlets only form where flows pause: with fixed windows ACK-clocked at line rate
  // that takes a short gap (500 ns); at the profile's 2 us, flows never re-pick here.
  const flowlet = run(profile('ai-ethernet', { switch: { loadBalancing: 'flowlet', flowletGapNs: 500 } }))

  it('ecmp: whole flows collide on uplinks, and every queue pair keeps one path', () => {
    expect(ecmp.leafUp).toBeGreaterThan(2)
    expect(ecmp.report.paths.maxPerQueuePair).toBe(1)
  })

  it('adaptive and REPS entropy spraying even out the uplinks', () => {
    expect(adaptive.leafUp).toBeLessThan(ecmp.leafUp / 2)
    expect(reps.leafUp).toBeLessThan(ecmp.leafUp / 2)
    // Both spread each queue pair over most of the 8 spines.
    expect(adaptive.report.paths.meanPerQueuePair).toBeGreaterThan(6)
    expect(reps.report.paths.meanPerQueuePair).toBeGreaterThan(6)
    expect(adaptive.report.summary.efficiency!).toBeGreaterThan(ecmp.report.summary.efficiency! + 0.15)
  })

  it('flowlet switching sits between ecmp and adaptive', () => {
    expect(flowlet.leafUp).toBeLessThan(ecmp.leafUp)
    expect(flowlet.leafUp).toBeGreaterThan(adaptive.leafUp)
    expect(flowlet.report.paths.repicks).toBeGreaterThan(64)
  })

  it('an unchanged default flowlet gap never re-picks a window-clocked flow: it behaves like ecmp', () => {
    const wide = run(profile('ai-ethernet', { switch: { loadBalancing: 'flowlet', flowletPick: 'hash' } }))
    expect(wide.report.paths.maxPerQueuePair).toBe(1)
    expect(wide.leafUp).toBeGreaterThan(2)
  })
})
