// Without PFC or congestion control, an incast overflows the bottleneck queue:
// drops must really happen, be counted and be recovered, and every packet be
// accounted for.
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

const topo = leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 8 })
// 15 senders into host 0: one BDP each is about 3.4 MB against a 1 MiB buffer.
const trace = flowsTrace(
  Array.from({ length: 15 }, (_, i): [number, number] => [i + 1, 0]),
  512 * 1024,
  16,
)

describe('incast 15 -> 1 with drop-tail buffers (no PFC)', () => {
  for (const name of ['roce', 'ai-ethernet'] as const) {
    it(`${name}: drops happen, are retransmitted, every op completes and packets are conserved`, () => {
      const { report, fabric } = simulate(trace, topo, profile(name, { switch: { pfc: null } }), 7)
      const s = report.summary
      expect(report.outcome).toBe('complete')
      expect(s.drops).toBeGreaterThan(0)
      expect(s.retransmittedPackets).toBeGreaterThan(0)
      expect(report.conservation.ok).toBe(true)
      expect(report.conservation.framesInjected).toBe(report.conservation.framesReceived + report.conservation.drops)
      expect(fabric.pool.live).toBe(0)
      // The bottleneck never ran faster than its line rate.
      const bottleneck = fabric.ports.find((p) => p.name === 'leaf0>host0')!
      expect(bottleneck.busyPs).toBeLessThanOrEqual(report.summary.completionTimePs!)
      expect(s.payloadBytes).toBe(15 * 512 * 1024)
    })
  }
})
