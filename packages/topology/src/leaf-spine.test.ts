import { ACK_WIRE_BYTES, CUT_THROUGH_HEADER_BYTES, dataWireBytes, serializationPs } from '@aifab/core'
import { QueuePair } from '@aifab/nic'
import { describe, expect, it } from 'vitest'
import type { FabricProfile } from './fabric-profile.ts'
import { plainProfile } from './test-profile.ts'
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
const profile = plainProfile()

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

  it('delivers one packet exactly when the latency model says, store-and-forward or cut-through', () => {
    for (const cutThrough of [false, true]) {
      const p: FabricProfile = {
        ...profile,
        switch: { ...profile.switch, forwardingLatencyNs: 300, cutThrough },
        nic: { ...profile.nic, processingDelayNs: 100 },
      }
      const fab = buildLeafSpine(topo, p, 1)
      let deliveredPs = -1
      fab.nics[4]!.listener = { messageDelivered: () => (deliveredPs = fab.sched.nowPs) }
      const qp = fab.openQp(0, 4, 0)
      fab.nics[0]!.post(qp, 0, 1000)
      fab.sched.run()
      const frame = dataWireBytes(1000, true)
      const hdr = (rate: number) => serializationPs(cutThrough ? CUT_THROUGH_HEADER_BYTES : frame, rate)
      // host -> leaf (100G) -> spine (200G) -> leaf (200G) -> host (100G): four link delays,
      // three switch latencies, the NIC's processing, and the serializations. The leaf
      // cannot cut a 100G frame through to a 200G uplink: it stores and forwards it.
      const expected = 4 * 1_000_000 + 3 * 300_000 + 100_000 + serializationPs(frame, 100e9) + 2 * hdr(200e9) + serializationPs(frame, 100e9)
      expect(deliveredPs).toBe(expected)
      expect(qp).toBeInstanceOf(QueuePair)
    }
  })
})
