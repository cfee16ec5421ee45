// Rail-optimized clusters: GPUs of a server share an NVSwitch (or their
// traffic is skipped), GPU g of every server shares rail switch g, spines
// above; P planes give every NIC P ports. A packed ring all-reduce crosses the
// network only between servers, so with NVLink far faster than the NIC its
// time is set by the network hops: the alpha-beta model with the network's
// alpha and rate still holds, and striping a NIC over two planes of half the
// rate changes nothing.
import { readFileSync } from 'node:fs'
import { buildFabric, parseTopology, topologyShape, type RailConfig } from '@aifab/topology'
import { genHalvingDoublingAllreduce, genRingAllreduce, replay } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { flowsTrace, profile, simulate } from './helpers/scenario.ts'

const rail = (patch: Partial<RailConfig> = {}): RailConfig => ({
  kind: 'rail',
  servers: 2,
  gpusPerServer: 8,
  spines: 4,
  hostLinkGbps: 400,
  fabricLinkGbps: 400,
  nvlinkGbps: 3600,
  nvlinkDelayNs: 100,
  linkDelayNs: 1000,
  mtuBytes: 4096,
  portBufferBytes: 1 << 20,
  ...patch,
})
const aie = profile('ai-ethernet')

describe('rail topology', () => {
  it('ships a 512-GPU preset', () => {
    const t = parseTopology(JSON.parse(readFileSync(new URL('../configs/topologies/rail-512gpu-400g.json', import.meta.url), 'utf8')), 'preset')
    expect(topologyShape(t)).toMatchObject({ hosts: 512, edges: 64, hostsPerEdge: 8, oversubscription: 1 })
  })

  const trace = genRingAllreduce({ ranks: 16, bytes: 16 << 20 })
  const runs = {
    nvlink: simulate(trace, rail(), aie, 1).report,
    skipped: simulate(trace, rail({ nvlinkGbps: undefined, nvlinkDelayNs: undefined }), aie, 1).report,
    planes: simulate(trace, rail({ planes: 2, hostLinkGbps: 200, fabricLinkGbps: 200 }), aie, 1).report,
  }

  it('a packed ring all-reduce is bound by its network hops: the alpha-beta model holds', () => {
    for (const r of Object.values(runs)) {
      expect(r.outcome).toBe('complete')
      expect(r.conservation.ok).toBe(true)
      expect(r.summary.drops).toBe(0)
      const model = r.model!.completionTimePs
      expect(Math.abs(r.summary.completionTimePs! - model) / model).toBeLessThan(0.03)
    }
    // 14 of the 16 ring hops per step go over NVLink, or are skipped.
    expect(runs.skipped.summary.skippedBytes).toBeGreaterThan(0)
    expect(runs.nvlink.summary.skippedBytes).toBe(0)
    const nv = runs.nvlink.tiers.find((t) => t.tier === 'nvlink-up')!
    expect(nv.utilizationMean).toBeGreaterThan(0)
  })

  it('two planes at half the rate, striped per packet, match one plane at full rate', () => {
    const one = runs.nvlink.summary.completionTimePs!
    expect(Math.abs(runs.planes.summary.completionTimePs! - one) / one).toBeLessThan(0.03)
    expect(runs.planes.derived.lineRateBps).toBe(400e9)
  })

  it('skipped intra-server steps: busbw may pass the NIC rate, and no model claims steps that took no time', () => {
    const r = simulate(genHalvingDoublingAllreduce({ ranks: 16, bytes: 16 << 20 }), rail({ nvlinkGbps: undefined, nvlinkDelayNs: undefined }), aie, 1).report
    expect(r.outcome).toBe('complete')
    expect(r.summary.busbwGbps!).toBeGreaterThan(400)
    expect(r.model).toBeNull()
  })

  it('without NVLink an intra-server message completes at once and moves nothing', () => {
    const fabric = buildFabric(rail({ nvlinkGbps: undefined, nvlinkDelayNs: undefined }), aie, 1)
    const r = replay(fabric, flowsTrace([[0, 1]], 1 << 20, 2), 'test')
    expect(r.outcome).toBe('complete')
    expect(r.opEndPs[0]).toBe(0)
    expect(r.skippedBytes).toBe(1 << 20)
    expect(fabric.counters().packetHops).toBe(0)
  })
})
