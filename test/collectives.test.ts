// Every generator against its textbook byte count, and the all-reduce
// algorithms against their alpha-beta models on a fabric that sprays.
import { busBwFactor, genAllgather, genAlltoall, genBroadcast, genHalvingDoublingAllreduce, genIncast, genReducescatter, genRingAllreduce, parseTrace, type Trace } from '@aifab/workload'
import { describe, expect, it } from 'vitest'

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

// Ring and halving-doubling against their models, and their ordering for small messages, are rows of
// the validation suite (test/validation/).
