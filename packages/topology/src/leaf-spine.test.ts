import { ACK_WIRE_BYTES, dataWireBytes, serializationPs } from '@aifab/core'
import { describe, expect, it } from 'vitest'
import type { FabricProfile } from './fabric-profile.ts'
import { buildLeafSpine } from './leaf-spine.ts'
import type { LeafSpineConfig } from './topology-config.ts'

const topo: LeafSpineConfig = {
  kind: 'leaf-spine',
  leaves: 3,
  spines: 2,
  hostsPerLeaf: 4,
  hostLinkGbps: 100,
  fabricLinkGbps: 200,
  linkDelayNs: 1000,
  mtuBytes: 4096,
  portBufferBytes: 1 << 20,
}
const profile: FabricProfile = {
  format: 'aifab.profile',
  version: 1,
  name: 't',
  switch: { loadBalancing: 'ecmp', ecn: null, buffer: { model: 'static' }, pfc: null },
  nic: {
    reliability: 'go-back-n',
    congestionControl: 'none',
    windowBdp: 1,
    ackEveryPackets: 1,
    rtoUs: 100,
    retryLimit: 7,
    nakIntervalUs: 10,
    reorderWindowPackets: 64,
    reorderNackThresholdPackets: 16,
  },
}

describe('leaf-spine builder', () => {
  const f = buildLeafSpine(topo, profile, 1)

  it('wires hosts, leaves and spines with the right port counts', () => {
    expect(f.hosts).toBe(12)
    expect(f.switches.length).toBe(5)
    // Leaves: 4 host ports + 2 uplinks; spines: one port per leaf.
    expect(f.switches.slice(0, 3).map((s) => s.ports.length)).toEqual([6, 6, 6])
    expect(f.switches.slice(3).map((s) => s.ports.length)).toEqual([3, 3])
    // Host links, leaf uplinks, spine downlinks, leaf downlinks.
    expect(f.ports.length).toBe(12 + 6 + 6 + 12)
  })

  it('routes within a leaf directly and across leaves over every spine', () => {
    const leaf0 = f.switches[0]!
    expect(leaf0.candidates(2)).toEqual([2])
    expect(leaf0.candidates(5)).toEqual([4, 5])
    expect(f.switches[3]!.candidates(9)).toEqual([2])
  })

  it('derives the base RTT and the alpha of a path from the link parameters', () => {
    const d = serializationPs(dataWireBytes(4096, false), 100e9)
    const dFab = serializationPs(dataWireBytes(4096, false), 200e9)
    const a = serializationPs(ACK_WIRE_BYTES, 100e9)
    const aFab = serializationPs(ACK_WIRE_BYTES, 200e9)
    expect(f.baseRttPs).toBe(8 * 1_000_000 + 2 * d + 2 * dFab + 2 * a + 2 * aFab)
    expect(f.alphaPs(0, 4)).toBe(4 * 1_000_000 + 2 * dFab + d)
    expect(f.alphaPs(0, 1)).toBe(2 * 1_000_000 + d)
    expect(f.windowBytes).toBe(Math.ceil(f.baseRttPs / d) * 4096)
  })
})
