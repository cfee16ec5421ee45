import { FieldReader, dataWireBytes } from '@aifab/core'

/** A two-tier Clos: every leaf connects to every spine by one link. */
export interface LeafSpineConfig {
  kind: 'leaf-spine'
  leaves: number
  spines: number
  hostsPerLeaf: number
  hostLinkGbps: number
  fabricLinkGbps: number
  /** Propagation delay of every link (host-leaf and leaf-spine). */
  linkDelayNs: number
  /** Payload bytes per packet; headers come on top on the wire. */
  mtuBytes: number
  /** Byte limit of each switch egress queue under the static buffer model (drop-tail beyond it). */
  portBufferBytes: number
  /** Size of each switch's shared buffer pool; default: ports x portBufferBytes. */
  sharedBufferBytes?: number
}

export type TopologyConfig = LeafSpineConfig

const LEAF_SPINE_FIELDS = [
  'kind',
  'name',
  'description',
  'leaves',
  'spines',
  'hostsPerLeaf',
  'hostLinkGbps',
  'fabricLinkGbps',
  'linkDelayNs',
  'mtuBytes',
  'portBufferBytes',
  'sharedBufferBytes',
] as const

/** Validates a parsed topology JSON; errors name `source` and the field. */
export function parseTopology(json: unknown, source: string): TopologyConfig {
  const r = new FieldReader(source)
  const o = r.object(json)
  r.oneOf(o, 'kind', ['leaf-spine'] as const)
  r.onlyKeys(o, LEAF_SPINE_FIELDS)
  const t: LeafSpineConfig = {
    kind: 'leaf-spine',
    leaves: r.number(o, 'leaves', { integer: true, min: 1, max: 1024 }),
    spines: r.number(o, 'spines', { integer: true, min: 1, max: 1024 }),
    hostsPerLeaf: r.number(o, 'hostsPerLeaf', { integer: true, min: 1, max: 1024 }),
    hostLinkGbps: r.number(o, 'hostLinkGbps', { min: 0.001, max: 1e5 }),
    fabricLinkGbps: r.number(o, 'fabricLinkGbps', { min: 0.001, max: 1e5 }),
    linkDelayNs: r.number(o, 'linkDelayNs', { min: 0, max: 1e9 }),
    mtuBytes: r.number(o, 'mtuBytes', { integer: true, min: 64, max: 65536 }),
    portBufferBytes: r.number(o, 'portBufferBytes', { integer: true, min: 1 }),
  }
  const shared = r.number(o, 'sharedBufferBytes', { integer: true, min: 1, optional: true })
  if (shared !== undefined) t.sharedBufferBytes = shared
  if (t.leaves * t.hostsPerLeaf > MAX_HOSTS) r.fail(`expected leaves x hostsPerLeaf <= ${MAX_HOSTS}, got ${t.leaves * t.hostsPerLeaf}`, 'hostsPerLeaf')
  // A buffer that cannot hold one full frame drops every data packet forever.
  const frame = dataWireBytes(t.mtuBytes, true)
  if (t.portBufferBytes < frame) r.fail(`expected at least one full frame (${frame} bytes at mtuBytes ${t.mtuBytes}), got ${t.portBufferBytes}`, 'portBufferBytes')
  return t
}

/** Hosts a topology may have (the routing tables grow with hosts x leaves). */
export const MAX_HOSTS = 16384
