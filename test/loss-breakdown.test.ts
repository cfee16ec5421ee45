// Where the bandwidth went: the host-link breakdown adds up to the whole
// capacity, its payload share is the collective's efficiency, and each loss
// lands in its own share when the run has it.
import { genRingAllreduce } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

const sum = (b: NonNullable<ReturnType<typeof simulate>['report']['lossBreakdown']>) => b.payload + b.headers + b.retransmissions + b.acks + b.pfcPaused + b.latency + b.waiting

describe('loss breakdown', () => {
  it('a ring all-reduce: the shares add up to 1 and the payload share is the efficiency', () => {
    const topo = leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 4 })
    for (const name of ['roce', 'ai-ethernet'] as const) {
      const r = simulate(genRingAllreduce({ ranks: 8, bytes: 4 << 20 }), topo, profile(name), 1).report
      const b = r.lossBreakdown!
      expect(b.hosts).toBe(8)
      expect(sum(b)).toBeCloseTo(1, 9)
      expect(b.payload).toBeCloseTo(r.summary.efficiency!, 3)
      // Headers: 82 bytes per 4096-byte packet, and the latency the model charges per step.
      expect(b.headers / b.payload).toBeCloseTo(82 / 4096, 2)
      expect(b.latency).toBeGreaterThan(0)
    }
  })

  it('retransmissions and PFC pauses show in their own shares', () => {
    const topo = leafSpine({ leaves: 2, spines: 8, hostsPerLeaf: 8 })
    const incast = flowsTrace(Array.from({ length: 15 }, (_, i): [number, number] => [i + 1, 0]), 1 << 20, 16)
    const lossy = simulate(incast, topo, profile('roce', { switch: { pfc: null, ecn: null } }), 1).report
    expect(lossy.summary.retransmittedPackets).toBeGreaterThan(0)
    expect(lossy.lossBreakdown!.retransmissions).toBeGreaterThan(0)
    const paused = simulate(incast, topo, profile('roce', { switch: { pfc: { xoffBytes: 65536, xonBytes: 49152, headroomBytes: 65536 } } }), 1).report
    expect(paused.lossBreakdown!.pfcPaused).toBeGreaterThan(0)
    expect(paused.lossBreakdown!.retransmissions).toBe(0)
    for (const r of [lossy, paused]) expect(sum(r.lossBreakdown!)).toBeCloseTo(1, 9)
  })
})
