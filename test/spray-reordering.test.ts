// Spraying without out-of-order placement collapses: under go-back-n every
// reordered packet looks like a loss.
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

const n = 8
const topo = leafSpine({ leaves: 2, spines: n, hostsPerLeaf: n })
const trace = flowsTrace(
  Array.from({ length: n }, (_, i): [number, number] => [i, n + i]),
  1024 * 1024,
  2 * n,
)

describe('spray with and without reordering', () => {
  it('spray + go-back-n is far below spray + reorder, with NAKs and retransmissions', () => {
    for (const seed of [1, 2, 3]) {
      const gbn = simulate(trace, topo, profile('roce', { switch: { loadBalancing: 'spray' } }), seed).report
      const reorder = simulate(trace, topo, profile('ai-ethernet', { switch: { loadBalancing: 'spray' } }), seed).report
      expect(gbn.outcome).toBe('complete')
      expect(gbn.conservation.ok).toBe(true)
      expect(reorder.conservation.ok).toBe(true)
      expect(gbn.summary.goodputMeanFraction).toBeLessThan(0.5 * reorder.summary.goodputMeanFraction)
      expect(gbn.summary.naksSent).toBeGreaterThan(0)
      expect(gbn.summary.retransmittedPackets).toBeGreaterThan(0)
      expect(gbn.summary.rxDiscards).toBeGreaterThan(0)
      // Reorder mode places what arrives out of order: it shows up in the window, not as resends.
      expect(reorder.summary.reorderWindowPeak).toBeGreaterThan(0)
      expect(reorder.summary.rxDiscards).toBe(0)
      // The distance histogram: holding k packets means one landed at least k ahead; none beyond the window.
      const dist = reorder.summary.reorderDistance
      expect(dist.reduce((s, d) => s + d.packets, 0)).toBeGreaterThan(0)
      expect(Math.max(...dist.map((d) => d.toPackets ?? Infinity))).toBeGreaterThanOrEqual(reorder.summary.reorderWindowPeak)
      expect(Math.max(...dist.map((d) => d.fromPackets))).toBeLessThanOrEqual(reorder.profile.nic.reorderWindowPackets)
      // Go-back-n places nothing out of order.
      expect(gbn.summary.reorderDistance).toEqual([])
    }
  })
})
