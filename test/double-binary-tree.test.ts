// Double binary tree all-reduce: its byte counts, the mirror property that
// makes it work, and what pipelining buys against the bound every schedule of
// it obeys: a rank that is inner in one tree and a leaf in the other moves 2S
// through its link (S/2 up, 2 x S/2 down, S/2 up), so T >= 2S / B. On a
// single switch (the fabric adds nothing but latency) the pipelined tree
// lands inside the band its cost model derives (report/src/cost-model.ts); on
// the flagship leaf-spine it lands above it, and the report shows why.
import { genDoubleBinaryTreeAllreduce, genRingAllreduce, parseTrace, type Trace } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'

const sentBy = (t: Trace, r: number) => t.ops.filter((o) => o.src === r).reduce((s, o) => s + o.bytes, 0)

describe('double binary tree all-reduce', () => {
  it('moves 2(N-1)/N x S per rank on average, at most 2S, and each rank is inner in at most one tree', () => {
    const n = 16
    const s = 1 << 20
    const t = genDoubleBinaryTreeAllreduce({ ranks: n, bytes: s, chunkBytes: 64 << 10 })
    expect(() => parseTrace(JSON.parse(JSON.stringify(t)), t.name)).not.toThrow()
    let total = 0
    for (let r = 0; r < n; r++) {
      total += sentBy(t, r)
      expect(sentBy(t, r)).toBeLessThanOrEqual(2 * s)
    }
    expect(total).toBe(2 * (n - 1) * s)
    // Inner ranks send down their tree (to more than their parent).
    const inner = (ch: number) => new Set(t.ops.filter((o) => o.channel === ch && o.deps.length === 1 && t.ops[o.deps[0]!]!.dst === o.src).map((o) => o.src))
    const a = inner(0)
    for (const r of inner(1)) expect(a.has(r), `rank ${r} inner in both trees`).toBe(false)
  })

  it('pipelined, it is faster than one piece and stays above the 2S/B bound', () => {
    const topo = leafSpine()
    const bytes = 16 << 20
    const prof = profile('ai-ethernet', { nic: { windowBdp: 2 } })
    const whole = simulate(genDoubleBinaryTreeAllreduce({ ranks: 64, bytes }), topo, prof, 1).report
    const piped = simulate(genDoubleBinaryTreeAllreduce({ ranks: 64, bytes, chunkBytes: 256 << 10 }), topo, prof, 1).report
    for (const r of [whole, piped]) {
      expect(r.outcome).toBe('complete')
      expect(r.conservation.ok).toBe(true)
    }
    expect(piped.summary.completionTimePs!).toBeLessThan(whole.summary.completionTimePs! / 2)
    expect(piped.summary.completionTimePs!).toBeGreaterThan(((2 * bytes * 8) / piped.derived.lineRateBps) * 1e12)
  })

  const prof = profile('ai-ethernet', { nic: { windowBdp: 2 } })

  it('on one switch, lands inside its model band for every piece size', () => {
    for (const ranks of [16, 64]) {
      const topo = leafSpine({ leaves: 1, spines: 1, hostsPerLeaf: ranks })
      for (const chunkBytes of [16 << 10, 64 << 10, 256 << 10]) {
        const r = simulate(genDoubleBinaryTreeAllreduce({ ranks, bytes: 16 << 20, chunkBytes }), topo, prof, 1).report
        expect(r.conservation.ok).toBe(true)
        const t = r.summary.completionTimePs!
        const m = r.model!
        expect(m.name).toMatch(/double binary tree/)
        expect(t, `${ranks} ranks, ${chunkBytes} B pieces`).toBeGreaterThanOrEqual(m.completionTimePs)
        expect(t, `${ranks} ranks, ${chunkBytes} B pieces`).toBeLessThanOrEqual(m.completionTimeHighPs!)
      }
    }
  })

  it('beats the ring on small messages (2 log N steps of latency, not 2(N-1))', () => {
    const topo = leafSpine()
    const tree = simulate(genDoubleBinaryTreeAllreduce({ ranks: 64, bytes: 64 << 10 }), topo, prof, 1).report
    const ring = simulate(genRingAllreduce({ ranks: 64, bytes: 64 << 10 }), topo, prof, 1).report
    expect(tree.summary.completionTimePs!).toBeLessThan(ring.summary.completionTimePs! / 3)
  })

  it('on the leaf-spine, lands above the band: packets overtaken on uneven spine queues are resent though almost none was lost', () => {
    const r = simulate(genDoubleBinaryTreeAllreduce({ ranks: 64, bytes: 16 << 20, chunkBytes: 64 << 10 }), leafSpine(), profile('ai-ethernet'), 1).report
    expect(r.outcome).toBe('complete')
    expect(r.summary.completionTimePs!).toBeGreaterThan(r.model!.completionTimeHighPs!)
    // 34519 packets resent for 8 dropped: nearly all were only overtaken.
    expect(r.summary.retransmittedPackets).toBeGreaterThan(100 * Math.max(1, r.summary.drops))
  })
})
