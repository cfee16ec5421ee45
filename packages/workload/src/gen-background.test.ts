import { describe, expect, it } from 'vitest'
import { cdfMeanBytes, publishedCdf } from './flow-size-cdf.ts'
import { genBackground } from './gen-background.ts'

describe('background traffic', () => {
  const cdf = publishedCdf('websearch')!
  const ranks = 16
  const load = 0.5
  const hostLinkBps = 100e9
  const durationNs = 4e8
  const t = genBackground({ ranks, load, hostLinkBps, durationNs, cdf, seed: 3 })

  it('offers the asked load: flow count and bytes within four standard deviations of the Poisson model', () => {
    const mean = cdfMeanBytes(cdf)
    const expectedFlows = (ranks * load * hostLinkBps * durationNs * 1e-9) / 8 / mean
    expect(Math.abs(t.ops.length - expectedFlows)).toBeLessThan(4 * Math.sqrt(expectedFlows))
    // Compound Poisson: Var(total bytes) = E[N] E[X^2].
    const sizes = t.ops.map((op) => op.bytes)
    const meanSq = sizes.reduce((s, x) => s + x * x, 0) / sizes.length
    const total = sizes.reduce((s, x) => s + x, 0)
    expect(Math.abs(total - expectedFlows * mean)).toBeLessThan(4 * Math.sqrt(expectedFlows * meanSq))
  })

  it('flows are independent: to another rank, inside the window, each on its own queue pair, ids in time order', () => {
    const seen = new Set<string>()
    let last = 0
    for (const op of t.ops) {
      expect(op.dst).not.toBe(op.src)
      expect(op.startNs! >= last && op.startNs! < durationNs).toBe(true)
      last = op.startNs!
      const key = `${op.src}/${op.dst}/${op.channel}`
      expect(seen.has(key)).toBe(false)
      seen.add(key)
    }
  })

  it('the seed decides the trace', () => {
    const a = genBackground({ ranks: 4, load: 0.3, hostLinkBps, durationNs: 1e6, cdf, seed: 9 })
    expect(genBackground({ ranks: 4, load: 0.3, hostLinkBps, durationNs: 1e6, cdf, seed: 9 })).toEqual(a)
    expect(genBackground({ ranks: 4, load: 0.3, hostLinkBps, durationNs: 1e6, cdf, seed: 10 })).not.toEqual(a)
  })

  it('refuses more flows between two ranks than a trace has queue pairs for them', () => {
    expect(() => genBackground({ ranks: 2, load: 1, hostLinkBps, durationNs: 2e9, cdf: publishedCdf('hadoop')!, seed: 1 })).toThrow(/more than 65536 flows from rank \d to rank \d/)
  })
})
