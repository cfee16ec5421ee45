// Several jobs on one fabric: a ring all-reduce sharing its hosts with
// background traffic. The report splits figures per job, and the split must
// add up to the whole.
import { genBackground, genRingAllreduce, mixTraces, placementOf, publishedCdf } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'

const topo = leafSpine({ leaves: 4, spines: 4, hostsPerLeaf: 4 })
const ring = genRingAllreduce({ ranks: 16, bytes: 8 << 20, placement: placementOf('interleave', 16, 4, 4) })
const background = genBackground({ ranks: 16, load: 0.5, hostLinkBps: topo.hostLinkGbps * 1e9, durationNs: 300_000, cdf: publishedCdf('websearch')!, seed: 1 })
const mix = mixTraces([
  { trace: ring, name: 'ring' },
  { trace: background, name: 'background' },
])

describe('a ring all-reduce mixed with background traffic', () => {
  for (const name of ['roce', 'ai-ethernet'] as const) {
    it(`${name}: per-job figures add up, and the background slows the all-reduce`, () => {
      const alone = simulate(ring, topo, profile(name), 1).report
      const mixed = simulate(mix, topo, profile(name), 1).report
      expect(mixed.outcome).toBe('complete')
      expect(mixed.conservation.ok).toBe(true)
      const [r, bg] = mixed.jobs
      expect(r!.ops + bg!.ops).toBe(mix.ops.length)
      expect(r!.payloadBytes + bg!.payloadBytes).toBe(mixed.summary.payloadBytes)
      expect(r!.payloadBytes).toBe(alone.summary.payloadBytes)
      // The job span is bounded by the whole run's.
      expect(Math.max(r!.endPs, bg!.endPs) - Math.min(r!.startPs, bg!.startPs)).toBe(mixed.summary.completionTimePs)
      expect(r!.completionTimePs!).toBeGreaterThan(alone.summary.completionTimePs!)
      expect(r!.busbwGbps!).toBeLessThan(alone.summary.busbwGbps!)
    })
  }
})
