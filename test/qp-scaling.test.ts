// Queue-pair scaling: each connection striped over k queue pairs, each hashed
// separately by ECMP. What clusters do instead of spraying: it helps, slowly.
import { genRingAllreduce, placementOf } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'

describe('queue pairs per connection under ECMP', () => {
  it('a ring all-reduce gets faster as k grows, and stays below per-packet adaptive routing', () => {
    const topo = leafSpine()
    const ring = genRingAllreduce({ ranks: 64, bytes: 16 << 20, placement: placementOf('interleave', 64, 8, 8) })
    const eff = (k: number) => {
      const { report, fabric } = simulate(ring, topo, profile('roce', { nic: { qpsPerConnection: k } }), 1)
      expect(report.outcome).toBe('complete')
      expect(report.conservation.ok).toBe(true)
      // k queue pairs per rank pair: 64 ring neighbours x k.
      expect(fabric.qps.length).toBe(64 * k)
      return report.summary.efficiency!
    }
    const e1 = eff(1)
    const e4 = eff(4)
    const e16 = eff(16)
    expect(e4).toBeGreaterThan(e1)
    expect(e16).toBeGreaterThan(e4 + 0.1)
    const adaptive = simulate(ring, topo, profile('ai-ethernet'), 1).report.summary.efficiency!
    expect(e16).toBeLessThan(adaptive)
  })
})
