import { dataWireBytes, serializationPs } from '@aifab/core'
import { FixedWindow, type CcDefinition } from '@aifab/nic'
import { describe, expect, it } from 'vitest'
import { buildRail } from './rail.ts'
import { plainProfile } from './test-profile.ts'
import { parseTopology, topologyShape, type RailConfig } from './topology-config.ts'
import { cableName } from './fault.ts'

// 4 servers of 2 GPUs in 2 rail groups: 4 rail switches per plane, 2 spines.
const base: RailConfig = {
  kind: 'rail',
  servers: 4,
  gpusPerServer: 2,
  serversPerRailGroup: 2,
  spines: 2,
  hostLinkGbps: 100,
  fabricLinkGbps: 100,
  linkDelayNs: 1000,
  mtuBytes: 4096,
  portBufferBytes: 1 << 20,
}
const profile = plainProfile({ reliability: 'reorder', reorderNackThresholdPackets: 8 })

/** When the last byte of one message from `src` to `dst` arrives (ps), alone on the fabric. */
function deliveryPs(topo: RailConfig, src: number, dst: number, bytes: number, channels = 1, lb: 'ecmp' | 'spray' = 'ecmp'): number {
  const f = buildRail(topo, { ...profile, switch: { ...profile.switch, loadBalancing: lb } }, 1)
  let at = -1
  let left = channels
  f.nics[dst]!.listener = { messageDelivered: () => --left === 0 && (at = f.sched.nowPs) }
  for (let c = 0; c < channels; c++) f.nics[src]!.post(f.openQp(src, dst, c), c, bytes / channels)
  f.sched.run()
  return at
}

describe('rail topology', () => {
  it('has a rail switch per GPU index and group, spines above, an NVSwitch per server', () => {
    const f = buildRail({ ...base, nvlinkGbps: 900 }, profile, 1)
    expect(f.hosts).toBe(8)
    expect(f.switches.map((s) => s.cfg.name)).toEqual(['rail0', 'rail1', 'rail2', 'rail3', 'spine0', 'spine1', 'nvs0', 'nvs1', 'nvs2', 'nvs3'])
    expect(f.switches.slice(0, 4).every((s) => s.ports.length === 2 + 2)).toBe(true) // 2 servers + 2 spines
    expect(f.switches.slice(4, 6).every((s) => s.ports.length === 4)).toBe(true)
    expect(f.switches.slice(6).every((s) => s.ports.length === 2)).toBe(true)
    expect(f.nics.every((n) => n.ports.length === 2)).toBe(true) // rail + NVLink
    expect(topologyShape(base)).toMatchObject({ hosts: 8, edges: 4, hostsPerEdge: 2, oversubscription: 1 })
  })

  it('routes GPU g of a group under its rail switch, everything else through the spines', () => {
    const f = buildRail(base, profile, 1)
    const rail0 = f.switches[0]! // GPU 0 of servers 0 and 1: hosts 0 and 2
    expect(rail0.candidates(0)).toEqual([0])
    expect(rail0.candidates(2)).toEqual([1])
    expect(rail0.candidates(1)).toEqual([2, 3]) // GPU 1 of server 0: rail 1, via a spine
    expect(rail0.candidates(4)).toEqual([2, 3]) // GPU 0 of server 2: group 1's rail
    expect(f.switches[4]!.candidates(7)).toEqual([3]) // spine 0 down to rail 3 (group 1, GPU 1)
  })

  it('delivers a packet in 2 hops on one rail, 4 across rails, 2 over NVLink at its own rate', () => {
    const frame = dataWireBytes(1000, true)
    const ser = serializationPs(frame, 100e9)
    expect(deliveryPs(base, 0, 2, 1000)).toBe(2 * (1_000_000 + ser))
    expect(deliveryPs(base, 0, 4, 1000)).toBe(4 * (1_000_000 + ser))
    const nv = { ...base, nvlinkGbps: 900, nvlinkDelayNs: 100 }
    expect(deliveryPs(nv, 0, 1, 1000)).toBe(2 * (100_000 + serializationPs(frame, 900e9)))
  })

  it('stripes one queue pair over all planes, or pins each channel to one', () => {
    const bytes = 4096 * 200
    const one = deliveryPs({ ...base, servers: 2, serversPerRailGroup: 2 }, 0, 2, bytes)
    const striped = deliveryPs({ ...base, servers: 2, serversPerRailGroup: 2, planes: 2 }, 0, 2, bytes)
    const pinned1 = deliveryPs({ ...base, servers: 2, serversPerRailGroup: 2, planes: 2, planeSelection: 'queue-pair' }, 0, 2, bytes)
    const pinned2 = deliveryPs({ ...base, servers: 2, serversPerRailGroup: 2, planes: 2, planeSelection: 'queue-pair' }, 0, 2, bytes, 2)
    // Bandwidth-bound: two planes halve the transfer time (less the fixed latency) for a striped queue pair,
    // not for one pinned to a plane; two channels on two planes get it back.
    const latency = 2 * 1_000_000
    expect((striped - latency) / (one - latency)).toBeCloseTo(0.5, 1)
    expect(pinned1).toBe(one)
    expect((pinned2 - latency) / (one - latency)).toBeCloseTo(0.5, 1)
  })

  it('gives NVLink queue pairs their own rate, window and round trip, down to their congestion control', () => {
    const seen: { lineRateBps: number; baseRttPs: number; initialWindowBytes: number }[] = []
    const probe: CcDefinition = {
      name: 'probe',
      description: 'records its context',
      params: {},
      create: (_p, ctx) => {
        seen.push({ lineRateBps: ctx.lineRateBps, baseRttPs: ctx.baseRttPs, initialWindowBytes: ctx.initialWindowBytes })
        return new FixedWindow(ctx.initialWindowBytes, ctx.lineRateBps)
      },
    }
    const f = buildRail({ ...base, nvlinkGbps: 900, nvlinkDelayNs: 100 }, profile, 1, probe)
    f.openQp(0, 1, 0) // NVLink
    f.openQp(0, 2, 0) // the network
    expect(seen[0]!.lineRateBps).toBe(900e9)
    expect(seen[1]!.lineRateBps).toBe(100e9)
    expect(seen[0]!.baseRttPs).toBeLessThan(seen[1]!.baseRttPs)
    expect(seen[1]!.baseRttPs).toBe(f.baseRttPs)
    expect(seen[0]!.initialWindowBytes).not.toBe(seen[1]!.initialWindowBytes)
  })

  it('names its cables, plane by plane, and rejects ones it lacks', () => {
    const two = { ...base, planes: 2, nvlinkGbps: 900 }
    expect(cableName('host2-rail0', two)).toBe('host2-rail0')
    expect(cableName('rail4>host2', two)).toBe('host2-rail4') // plane 1's rail 0
    expect(cableName('host2-rail1', two)).toBeNull()
    expect(cableName('spine3-rail5', two)).toBe('rail5-spine3')
    expect(cableName('rail0-spine3', two)).toBeNull() // different planes
    expect(cableName('host3-nvs1', two)).toBe('host3-nvs1')
    expect(cableName('host3-nvs1', base)).toBeNull() // no NVLink
  })

  it('routes around a failed rail uplink', () => {
    const f = buildRail({ ...base }, { ...profile, faults: [{ kind: 'down', link: 'rail0-spine0', atUs: 0 }] }, 1)
    f.sched.run(20_000_000)
    expect(f.switches[0]!.candidates(4)).toEqual([3])
    expect(f.switches[2]!.candidates(0)).toEqual([3]) // rail 2 reaches rail 0 only through spine 1
  })

  it('rejects a rail group that does not divide the servers, and NVLink delay without NVLink', () => {
    expect(() => parseTopology({ ...base, serversPerRailGroup: 3 }, 't.json')).toThrow(/serversPerRailGroup: expected a divisor of servers \(4\), got 3/)
    expect(() => parseTopology({ ...base, nvlinkDelayNs: 10 }, 't.json')).toThrow(/nvlinkDelayNs: expected nvlinkGbps/)
    expect(parseTopology({ ...base, planes: 2, planeSelection: 'queue-pair' }, 't.json')).toMatchObject({ planes: 2, planeSelection: 'queue-pair' })
  })
})
