import { dataWireBytes, serializationPs } from '@aifab/core'
import { describe, expect, it } from 'vitest'
import { buildFatTree } from './fat-tree.ts'
import { plainProfile } from './test-profile.ts'
import type { FatTreeConfig } from './topology-config.ts'
import { cableName } from './fault.ts'

const topo: FatTreeConfig = { kind: 'fat-tree', k: 4, hostLinkGbps: 100, fabricLinkGbps: 100, linkDelayNs: 1000, mtuBytes: 4096, portBufferBytes: 1 << 20 }
// Reorder NICs with an 8-packet NACK threshold; otherwise the builders' plain profile.
const profile = plainProfile({ reliability: 'reorder', reorderNackThresholdPackets: 8 })

describe('fat tree (k = 4)', () => {
  const f = buildFatTree(topo, profile, 1)

  it('has k^3/4 hosts and k^2/2 + k^2/2 + k^2/4 switches with the right ports', () => {
    expect(f.hosts).toBe(16)
    expect(f.switches.length).toBe(8 + 8 + 4)
    expect(f.switches.slice(0, 8).every((s) => s.ports.length === 4)).toBe(true) // 2 hosts + 2 aggs
    expect(f.switches.slice(8, 16).every((s) => s.ports.length === 4)).toBe(true) // 2 edges + 2 cores
    expect(f.switches.slice(16).every((s) => s.ports.length === 4)).toBe(true) // one per pod
  })

  it('routes up only as far as needed: same edge, same pod, other pod', () => {
    const edge0 = f.switches[0]!
    expect(edge0.candidates(1)).toEqual([1]) // host 1 shares edge 0
    expect(edge0.candidates(2)).toEqual([2, 3]) // host 2: edge 1, same pod: via either agg
    expect(edge0.candidates(15)).toEqual([2, 3])
    const agg0 = f.switches[8]!
    expect(agg0.candidates(3)).toEqual([1]) // down to edge 1 of its pod
    expect(agg0.candidates(15)).toEqual([2, 3]) // up to its two cores
    expect(f.switches[16]!.candidates(15)).toEqual([3]) // core 0 down to pod 3
  })

  it('delivers one packet after 6 hops across pods, 4 within a pod, 2 under one edge', () => {
    const frame = dataWireBytes(1000, true)
    const ser = serializationPs(frame, 100e9)
    for (const [dst, hops] of [
      [1, 2],
      [3, 4],
      [12, 6],
    ] as const) {
      const fab = buildFatTree(topo, profile, 1)
      let at = -1
      fab.nics[dst]!.listener = { messageDelivered: () => (at = fab.sched.nowPs) }
      fab.nics[0]!.post(fab.openQp(0, dst, 0), 0, 1000)
      fab.sched.run()
      expect(at).toBe(hops * (1_000_000 + ser))
    }
  })

  it('names its cables, and rejects ones it lacks', () => {
    expect(cableName('core3>agg1', topo)).toBe('agg1-core3')
    expect(cableName('edge0-agg1', topo)).toBe('edge0-agg1')
    expect(cableName('edge0-agg2', topo)).toBeNull() // agg 2 is in pod 1
    expect(cableName('agg0-core2', topo)).toBeNull() // agg 0 (j = 0) reaches cores 0 and 1
    expect(cableName('leaf0-spine0', topo)).toBeNull()
  })

  it('routes around a failed cable', () => {
    const fab = buildFatTree(topo, { ...profile, faults: [{ kind: 'down', link: 'agg0-core0', atUs: 0 }] }, 1)
    fab.sched.run(20_000_000)
    expect(fab.switches[8]!.candidates(15)).toEqual([3]) // agg 0: only core 1 left
  })
})
