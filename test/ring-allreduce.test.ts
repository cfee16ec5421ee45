// A ring all-reduce on a non-blocking leaf-spine with adaptive routing and
// out-of-order placement, checked against the alpha-beta model (REFERENCE.md).
import { genRingAllreduce, placementOf } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'

const ranks = 64
const topo = leafSpine()
const placement = placementOf('interleave', ranks, topo.leaves, topo.hostsPerLeaf)

describe('ring all-reduce, adaptive + reorder, 64 ranks on 8x8x8 at 400G', () => {
  for (const bytes of [4 << 20, 16 << 20]) {
    it(`${bytes >> 20} MiB: busbw follows the alpha-beta model and never exceeds line rate`, () => {
      const trace = genRingAllreduce({ ranks, bytes, placement })
      // Two BDPs of window: enough that the window never limits a flow (see below).
      const { report } = simulate(trace, topo, profile('ai-ethernet', { nic: { windowBdp: 2 } }), 1)
      const s = report.summary
      expect(report.outcome).toBe('complete')
      expect(report.conservation.ok).toBe(true)
      const model = report.model!
      // The model is a lower bound on time: every step pays alpha plus its bytes at line rate.
      expect(s.completionTimePs).toBeGreaterThanOrEqual(model.completionTimePs * 0.999)
      expect(s.completionTimePs).toBeLessThan(model.completionTimePs * 1.01)
      expect(s.busbwGbps! * 1e9).toBeLessThan(report.derived.lineRateBps)
      expect(s.efficiencyWire).toBeLessThanOrEqual(1)
      expect(s.drops).toBe(0)
    })
  }

  it('with a window of exactly one empty-network BDP, ACKs waiting behind data frames cost a few percent', () => {
    // 16 MiB: 256 KiB steps, longer than the window (with 4 MiB the 64 KiB steps never fill it).
    const trace = genRingAllreduce({ ranks, bytes: 16 << 20, placement })
    const { report } = simulate(trace, topo, profile('ai-ethernet', { nic: { windowBdp: 1 } }), 1)
    const ratio = report.summary.completionTimePs! / report.model!.completionTimePs
    // An ACK cannot preempt the data frame being serialized on each of its four
    // hops (each host also sends its own ring data), so the real RTT exceeds the
    // empty-network one the window was sized for.
    expect(ratio).toBeGreaterThan(1.01)
    expect(ratio).toBeLessThan(1.1)
  })

  it('pipelined in chunks, it beats the unpipelined alpha-beta cost, follows the pipelined one, and never beats the line-rate bound', () => {
    const bytes = 16 << 20
    const prof = profile('ai-ethernet', { nic: { windowBdp: 2 } })
    const whole = simulate(genRingAllreduce({ ranks, bytes, placement }), topo, prof, 1).report
    // 256 KiB per step in 8 pieces: piece p of a step waits only for piece p of the one before.
    const trace = genRingAllreduce({ ranks, bytes, placement, chunkBytes: 32 << 10 })
    expect(trace.ops.length).toBe(8 * 2 * (ranks - 1) * ranks)
    const piped = simulate(trace, topo, prof, 1).report
    expect(piped.outcome).toBe('complete')
    expect(piped.conservation.ok).toBe(true)
    expect(piped.summary.payloadBytes).toBe(whole.summary.payloadBytes)
    // Per-step alpha is hidden behind the next piece, so the time drops below the unpipelined model's...
    expect(piped.summary.completionTimePs!).toBeLessThan(whole.summary.completionTimePs!)
    expect(piped.summary.completionTimePs!).toBeLessThan(whole.model!.completionTimePs)
    // ...and lands on the pipelined one (cost-model.ts derives it).
    expect(piped.model!.name).toBe('pipelined ring all-reduce')
    expect(piped.summary.completionTimePs!).toBeGreaterThanOrEqual(piped.model!.completionTimePs * 0.999)
    expect(piped.summary.completionTimePs!).toBeLessThan(piped.model!.completionTimePs * 1.02)
    // Each rank still pushes 2(N-1)/N x S through its own link.
    const boundPs = (((2 * (ranks - 1)) / ranks) * bytes * 8 * 1e12) / piped.derived.lineRateBps
    expect(piped.summary.completionTimePs!).toBeGreaterThan(boundPs)
  })
})
