import { FieldReader, dataWireBytes } from '@aifab/core'

/** What every topology kind has: link rates and delay, packet size, buffers. */
interface CommonTopology {
  hostLinkGbps: number
  fabricLinkGbps: number
  /** Propagation delay of every link. */
  linkDelayNs: number
  /** Payload bytes per packet; headers come on top on the wire. */
  mtuBytes: number
  /** Byte limit of each switch egress queue under the static buffer model (drop-tail beyond it). */
  portBufferBytes: number
  /** Size of each switch's shared buffer pool; default: ports x portBufferBytes. */
  sharedBufferBytes?: number
}

/** A two-tier Clos: every leaf connects to every spine by one link. */
export interface LeafSpineConfig extends CommonTopology {
  kind: 'leaf-spine'
  leaves: number
  spines: number
  hostsPerLeaf: number
}

/**
 * A k-ary three-tier fat tree (k even), htsim's shape: k pods of k/2 edge and
 * k/2 aggregation switches, (k/2)^2 cores, k/2 hosts per edge, k^3/4 hosts,
 * numbered left to right.
 */
export interface FatTreeConfig extends CommonTopology {
  kind: 'fat-tree'
  k: number
}

/**
 * A rail-optimized GPU cluster: servers of `gpusPerServer` GPUs, each GPU with
 * its own NIC. Within a rail group of `serversPerRailGroup` servers, GPU g of
 * every server connects to rail switch g; every rail switch connects to every
 * spine. With `planes` P > 1 the whole network is built P times and every NIC
 * has one port (of hostLinkGbps) in each plane; `planeSelection` says whether
 * packets are striped across the ports (`packet`) or a queue pair keeps the
 * plane of its channel (`queue-pair`, channel mod P). GPUs of one server talk
 * over NVLink at `nvlinkGbps` per GPU and direction through one non-blocking
 * NVSwitch per server when it is given; without it intra-server messages are
 * skipped (complete at once, no traffic), as network-only simulators do.
 * GPU g of server s is host s * gpusPerServer + g.
 */
export interface RailConfig extends CommonTopology {
  kind: 'rail'
  servers: number
  gpusPerServer: number
  /** Servers sharing one set of rail switches; servers must be a multiple of it. Default: all servers. */
  serversPerRailGroup?: number
  /** Spines per plane. */
  spines: number
  planes?: number
  planeSelection?: PlaneSelection
  nvlinkGbps?: number
  /** Propagation delay of the NVLink cables; default linkDelayNs. */
  nvlinkDelayNs?: number
}

export const PLANE_SELECTIONS = ['packet', 'queue-pair'] as const
export type PlaneSelection = (typeof PLANE_SELECTIONS)[number]

export type TopologyConfig = LeafSpineConfig | FatTreeConfig | RailConfig

/** Hosts a topology may have (the routing tables grow with hosts x switches). */
export const MAX_HOSTS = 16384

const COMMON_FIELDS = ['kind', 'name', 'description', 'hostLinkGbps', 'fabricLinkGbps', 'linkDelayNs', 'mtuBytes', 'portBufferBytes', 'sharedBufferBytes'] as const

/** Validates a parsed topology JSON; errors name `source` and the field. */
export function parseTopology(json: unknown, source: string): TopologyConfig {
  const r = new FieldReader(source)
  const o = r.object(json)
  const kind = r.oneOf(o, 'kind', ['leaf-spine', 'fat-tree', 'rail'] as const)
  const common = (): CommonTopology => {
    const c: CommonTopology = {
      hostLinkGbps: r.number(o, 'hostLinkGbps', { min: 0.001, max: 1e5 }),
      fabricLinkGbps: r.number(o, 'fabricLinkGbps', { min: 0.001, max: 1e5 }),
      linkDelayNs: r.number(o, 'linkDelayNs', { min: 0, max: 1e9 }),
      mtuBytes: r.number(o, 'mtuBytes', { integer: true, min: 64, max: 65536 }),
      portBufferBytes: r.number(o, 'portBufferBytes', { integer: true, min: 1 }),
    }
    const shared = r.number(o, 'sharedBufferBytes', { integer: true, min: 1, optional: true })
    if (shared !== undefined) c.sharedBufferBytes = shared
    // A buffer that cannot hold one full frame drops every data packet forever.
    const frame = dataWireBytes(c.mtuBytes, true)
    if (c.portBufferBytes < frame) r.fail(`expected at least one full frame (${frame} bytes at mtuBytes ${c.mtuBytes}), got ${c.portBufferBytes}`, 'portBufferBytes')
    return c
  }
  let t: TopologyConfig
  if (kind === 'leaf-spine') {
    r.onlyKeys(o, [...COMMON_FIELDS, 'leaves', 'spines', 'hostsPerLeaf'])
    t = {
      kind,
      leaves: r.number(o, 'leaves', { integer: true, min: 1, max: 1024 }),
      spines: r.number(o, 'spines', { integer: true, min: 1, max: 1024 }),
      hostsPerLeaf: r.number(o, 'hostsPerLeaf', { integer: true, min: 1, max: 1024 }),
      ...common(),
    }
  } else if (kind === 'rail') {
    r.onlyKeys(o, [...COMMON_FIELDS, 'servers', 'gpusPerServer', 'serversPerRailGroup', 'spines', 'planes', 'planeSelection', 'nvlinkGbps', 'nvlinkDelayNs'])
    const rail: RailConfig = {
      kind,
      servers: r.number(o, 'servers', { integer: true, min: 1, max: MAX_HOSTS }),
      gpusPerServer: r.number(o, 'gpusPerServer', { integer: true, min: 1, max: 64 }),
      spines: r.number(o, 'spines', { integer: true, min: 1, max: 1024 }),
      ...common(),
    }
    const group = r.number(o, 'serversPerRailGroup', { integer: true, min: 1, max: MAX_HOSTS, optional: true })
    if (group !== undefined) {
      if (rail.servers % group !== 0) r.fail(`expected a divisor of servers (${rail.servers}), got ${group}`, 'serversPerRailGroup')
      rail.serversPerRailGroup = group
    }
    const planes = r.number(o, 'planes', { integer: true, min: 1, max: 16, optional: true })
    if (planes !== undefined) rail.planes = planes
    if (o.planeSelection !== undefined) rail.planeSelection = r.oneOf(o, 'planeSelection', PLANE_SELECTIONS)
    const nv = r.number(o, 'nvlinkGbps', { min: 0.001, max: 1e6, optional: true })
    if (nv !== undefined) rail.nvlinkGbps = nv
    const nvDelay = r.number(o, 'nvlinkDelayNs', { min: 0, max: 1e9, optional: true })
    if (nvDelay !== undefined) {
      if (nv === undefined) r.fail('expected nvlinkGbps alongside it (without NVLink, intra-server traffic is skipped)', 'nvlinkDelayNs')
      rail.nvlinkDelayNs = nvDelay
    }
    t = rail
  } else {
    r.onlyKeys(o, [...COMMON_FIELDS, 'k'])
    const k = r.number(o, 'k', { integer: true, min: 2, max: 40 })
    if (k % 2 !== 0) r.fail(`expected an even k, got ${k}`, 'k')
    t = { kind, k, ...common() }
  }
  const hosts = topologyShape(t).hosts
  if (hosts > MAX_HOSTS) r.fail(`expected at most ${MAX_HOSTS} hosts, got ${hosts}`, kind === 'leaf-spine' ? 'hostsPerLeaf' : kind === 'rail' ? 'servers' : 'k')
  return t
}

/**
 * Counts and a one-line description of a topology. `edges` and `hostsPerEdge`
 * are how hosts group for placement: under first-level switches, and in a rail
 * cluster into servers. `oversubscription` is the worst ratio, over the switch
 * tiers, of the bandwidth coming up from below to the bandwidth going up (1:
 * non-blocking): for a leaf-spine, hostsPerLeaf host links against one link to
 * each spine; for a fat tree, k/2 against k/2 at every tier, so only the host
 * and fabric rates differ; for a rail switch, its group's servers against its
 * spines.
 */
export function topologyShape(t: TopologyConfig): { hosts: number; edges: number; hostsPerEdge: number; oversubscription: number; label: string } {
  if (t.kind === 'rail') {
    const hosts = t.servers * t.gpusPerServer
    const group = railGroupServers(t)
    const single = t.servers === group && t.gpusPerServer === 1
    const oversubscription = single ? 1 : Math.max(1, (group * t.hostLinkGbps) / (t.spines * t.fabricLinkGbps))
    const over = oversubscription > 1 ? `, ${+oversubscription.toFixed(2)}:1 oversubscribed` : ''
    const planes = railPlanes(t) > 1 ? ` x ${railPlanes(t)} planes (${t.planeSelection ?? 'packet'} striping)` : ''
    const nv = t.nvlinkGbps !== undefined ? `NVLink ${t.nvlinkGbps}G` : 'intra-server traffic skipped'
    return {
      hosts,
      edges: t.servers,
      hostsPerEdge: t.gpusPerServer,
      oversubscription,
      label: `rail ${t.servers} servers x ${t.gpusPerServer} GPUs (${hosts} GPUs), ${t.spines} spines at ${t.hostLinkGbps}G${planes}, ${nv}${over}`,
    }
  }
  const hostsPerEdge = t.kind === 'leaf-spine' ? t.hostsPerLeaf : t.k / 2
  const uplinks = t.kind === 'leaf-spine' ? t.spines : t.k / 2
  const oversubscription = t.kind === 'leaf-spine' && t.leaves === 1 ? 1 : Math.max(1, (hostsPerEdge * t.hostLinkGbps) / (uplinks * t.fabricLinkGbps))
  const over = oversubscription > 1 ? `, ${+oversubscription.toFixed(2)}:1 oversubscribed` : ''
  if (t.kind === 'leaf-spine') {
    return {
      hosts: t.leaves * t.hostsPerLeaf,
      edges: t.leaves,
      hostsPerEdge,
      oversubscription,
      label: `leaf-spine ${t.leaves} leaves x ${t.spines} spines x ${t.hostsPerLeaf} hosts at ${t.hostLinkGbps}G${over}`,
    }
  }
  const hosts = (t.k * t.k * t.k) / 4
  return { hosts, edges: t.k * (t.k / 2), hostsPerEdge, oversubscription, label: `fat tree k=${t.k} (${hosts} hosts) at ${t.hostLinkGbps}G${over}` }
}

/** Switch levels the longest network path climbs (1: all hosts under one switch). */
export function switchLevels(t: TopologyConfig): number {
  if (t.kind === 'leaf-spine') return t.leaves > 1 ? 2 : 1
  if (t.kind === 'rail') return t.gpusPerServer === 1 && railGroupServers(t) === t.servers ? 1 : 2
  return 3
}

export function railGroupServers(t: RailConfig): number {
  return t.serversPerRailGroup ?? t.servers
}

export function railPlanes(t: TopologyConfig): number {
  return t.kind === 'rail' ? (t.planes ?? 1) : 1
}

/** A host's network bandwidth: all its NIC ports together (one per plane). */
export function nicLineRateBps(t: TopologyConfig): number {
  return t.hostLinkGbps * 1e9 * railPlanes(t)
}
