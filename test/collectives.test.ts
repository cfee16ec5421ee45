// Every generator against its textbook byte count, and the all-reduce
// algorithms against their alpha-beta models on a fabric that sprays.
import { busBwFactor, genAllgather, genAlltoall, genBroadcast, genHalvingDoublingAllreduce, genIncast, genReducescatter, genRingAllreduce, parseTrace, placementOf, type Trace } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'

const sentBy = (t: Trace, r: number) => t.ops.filter((o) => o.src === r).reduce((s, o) => s + o.bytes, 0)

describe('collective generators', () => {
  const n = 16
  const s = 16 * 1024 * 1024
  it('each rank sends what the textbook says', () => {
    const cases: [Trace, number][] = [
      [genRingAllreduce({ ranks: n, bytes: s }), (2 * (n - 1) * s) / n],
      [genHalvingDoublingAllreduce({ ranks: n, bytes: s }), (2 * (n - 1) * s) / n],
      [genAllgather({ ranks: n, bytes: s }), ((n - 1) * s) / n],
      [genReducescatter({ ranks: n, bytes: s }), ((n - 1) * s) / n],
      [genAlltoall({ ranks: n, bytes: s }), ((n - 1) * s) / n],
    ]
    for (const [t, perRank] of cases) {
      for (let r = 0; r < n; r++) expect(sentBy(t, r), `${t.name} rank ${r}`).toBe(perRank)
      // And the nccl-tests bus bandwidth factor matches what a rank moves.
      expect(busBwFactor(t.collective!.kind, n) * s).toBe(perRank)
      expect(() => parseTrace(JSON.parse(JSON.stringify(t)), t.name)).not.toThrow()
    }
    const b = genBroadcast({ ranks: n, bytes: s })
    for (let r = 0; r < n - 1; r++) expect(sentBy(b, r)).toBe(s)
    expect(sentBy(b, n - 1)).toBe(0)
    const inc = genIncast({ ranks: n, bytes: 1000 })
    expect(inc.ops.every((o) => o.dst === 0)).toBe(true)
    expect(inc.ops.length).toBe(n - 1)
  })
  it('halving-doubling needs a power of two', () => {
    expect(() => genHalvingDoublingAllreduce({ ranks: 12, bytes: s })).toThrow(/power-of-two/)
  })
})

describe('all-reduce algorithms vs alpha-beta, adaptive + reorder, 64 ranks', () => {
  const topo = leafSpine()
  const placement = placementOf('interleave', 64, 8, 8)
  const prof = profile('ai-ethernet', { nic: { windowBdp: 2 } })
  const run = (t: Trace) => {
    const { report } = simulate(t, topo, prof, 1)
    expect(report.outcome).toBe('complete')
    return report
  }
  it('ring and halving-doubling land near their models, and the model ordering holds for small and large sizes', () => {
    for (const bytes of [256 * 1024, 16 << 20]) {
      const ring = run(genRingAllreduce({ ranks: 64, bytes, placement }))
      const hd = run(genHalvingDoublingAllreduce({ ranks: 64, bytes, placement }))
      for (const r of [ring, hd]) {
        expect(r.summary.completionTimePs!).toBeGreaterThanOrEqual(r.model!.completionTimePs * 0.999)
        expect(r.summary.completionTimePs!).toBeLessThan(r.model!.completionTimePs * 1.1)
      }
      // Small messages: halving-doubling's log2(N) latency terms beat the ring's N.
      if (bytes === 256 * 1024) expect(hd.summary.completionTimePs!).toBeLessThan(ring.summary.completionTimePs!)
    }
  })
})
