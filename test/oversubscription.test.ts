// An oversubscribed leaf-spine: 4 hosts per leaf above 2 spines (or 4 spines
// at half rate) give each leaf half the uplink bandwidth its hosts can send.
// When every flow leaves its leaf, conservation caps each flow at half its line
// rate; adaptive per-packet routing gets close to that cap, the non-blocking
// twin nearly twice as far. Blind spraying does worse here: with queues of
// different depths on the two uplinks, packets overtake by more than the
// receiver's NACK threshold and the sender retransmits packets that were
// never lost.
import { topologyShape } from '@aifab/topology'
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

const hosts = 16
const shift: [number, number][] = Array.from({ length: hosts }, (_, h) => [h, (h + 4) % hosts])
const trace = flowsTrace(shift, 2 << 20, hosts)
const adaptive = profile('ai-ethernet')
const spray = profile('ai-ethernet', { switch: { loadBalancing: 'spray' } })

describe('oversubscription', () => {
  const nonBlocking = leafSpine({ leaves: 4, spines: 4, hostsPerLeaf: 4 })
  const bySpines = leafSpine({ leaves: 4, spines: 2, hostsPerLeaf: 4 })
  const byRate = leafSpine({ leaves: 4, spines: 4, hostsPerLeaf: 4, fabricLinkGbps: 200 })

  it('the topology reports its ratio', () => {
    expect(topologyShape(nonBlocking).oversubscription).toBe(1)
    expect(topologyShape(bySpines).oversubscription).toBe(2)
    expect(topologyShape(byRate).label).toMatch(/2:1 oversubscribed/)
  })

  it('halves what leaves a leaf, by spine count or by fabric rate', () => {
    const full = simulate(trace, nonBlocking, adaptive, 1).report
    expect(full.conservation.ok).toBe(true)
    expect(full.summary.goodputJobFraction).toBeGreaterThan(0.8)
    for (const topo of [bySpines, byRate]) {
      const r = simulate(trace, topo, adaptive, 1).report
      expect(r.outcome).toBe('complete')
      expect(r.conservation.ok).toBe(true)
      // The cap is physics (800 Gb/s up per leaf for 1600 Gb/s of senders)...
      expect(r.summary.goodputJobFraction).toBeLessThanOrEqual(0.5)
      // ...and adaptive routing over every uplink comes near it.
      expect(r.summary.goodputJobFraction).toBeGreaterThan(0.45)
    }
  })

  it('blind spraying on it retransmits packets that were only overtaken', () => {
    const a = simulate(trace, bySpines, adaptive, 1).report
    const s = simulate(trace, bySpines, spray, 1).report
    expect(s.conservation.ok).toBe(true)
    expect(s.summary.drops).toBe(0)
    expect(s.summary.retransmittedPackets).toBeGreaterThan(0)
    expect(s.summary.naksSent).toBeGreaterThan(0)
    expect(s.summary.timeouts).toBe(0)
    expect(s.summary.goodputJobFraction).toBeLessThan(a.summary.goodputJobFraction)
  })
})
