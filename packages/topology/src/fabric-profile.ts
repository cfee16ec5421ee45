import { FieldReader, InputError, usFromPs } from '@aifab/core'
import { ENTROPY_POLICIES, RELIABILITY_MODES, type CcDefinition, type EntropyPolicyName, type ReliabilityMode } from '@aifab/nic'
import { FLOWLET_PICKS, LOAD_BALANCING_MODES, SPRAY_ORDERS, type LoadBalancingConfig, type LoadBalancing } from '@aifab/switch'
import { fabricTiming } from './fabric-timing.ts'
import { cableName, parseFaults, type FaultEvent } from './fault.ts'
import type { TopologyConfig } from './topology-config.ts'

/**
 * How a fabric behaves, independent of its shape: what switches and NICs do.
 * Versioned; documented in configs/profiles/README.md and profile.schema.json.
 */
export interface FabricProfile {
  format: 'aifab.profile'
  version: 1
  name: string
  switch: {
    loadBalancing: LoadBalancing
    sprayOrder: LoadBalancingConfig['sprayOrder']
    adaptiveThresholdBytes: number
    flowletGapNs: number
    flowletPick: LoadBalancingConfig['flowletPick']
    /** RED ECN marking at switch egress queues; null turns marking off. */
    ecn: { kminBytes: number; kmaxBytes: number; pmax: number } | null
    /** Static: each egress queue holds the topology's portBufferBytes. Shared: one pool per switch, each queue at most alpha x the free pool. */
    buffer: { model: 'static' } | { model: 'shared'; alpha: number; reservePerQueueBytes: number }
    /** PFC on the data class per ingress link; null: lossy. */
    pfc: { xoffBytes: number; xonBytes: number; headroomBytes: number } | null
    /** A data packet that finds no room is cut to its headers and forwarded at high priority (UEC). */
    trimming: boolean
    /** In-band telemetry: each switch appends a record to data packets at dequeue; ACKs echo them. null: off. */
    int: { bytesPerRecord: number; maxHops: number } | null
    /** After a cable fails (or comes back), how long until routing stops (or starts again) using it. */
    failoverDelayUs: number
    /** Fixed latency of a switch's forwarding pipeline, on top of serialization. */
    forwardingLatencyNs: number
    /** Forward once the headers are in instead of after the last bit (store-and-forward). */
    cutThrough: boolean
  }
  /** Faults to inject (link down, degraded rate, random loss), in time order or not. */
  faults: FaultEvent[]
  nic: {
    /** Fixed latency of a NIC's receive pipeline (data and ACKs). */
    processingDelayNs: number
    reliability: ReliabilityMode
    /** Entropy per data packet: fixed per queue pair (RoCE), oblivious round robin, or UEC's REPS. */
    entropyPolicy: EntropyPolicyName
    entropyValues: number
    /** Queue pairs per connection (rank pair and channel): each message is striped over them, each with its own ECMP hash. */
    qpsPerConnection: number
    /** A built-in congestion controller's name (`aifab cc list`), or a path to a module exporting one. */
    congestionControl: string
    /** Its parameters; the rest keep their defaults. */
    ccParams: Record<string, number>
    /** Fixed in-flight window per queue pair, in units of the fabric's bandwidth-delay product. */
    windowBdp: number
    ackEveryPackets: number
    rtoUs: number
    /** Consecutive timeouts after which a queue pair gives up (InfiniBand's retry_cnt). */
    retryLimit: number
    nakIntervalUs: number
    reorderWindowPackets: number
    reorderNackThresholdPackets: number
  }
}

const TOP_FIELDS = ['format', 'version', 'name', 'description', 'switch', 'nic', 'faults'] as const
const SWITCH_FIELDS = ['loadBalancing', 'sprayOrder', 'adaptiveThresholdBytes', 'flowletGapNs', 'flowletPick', 'ecn', 'buffer', 'pfc', 'trimming', 'int', 'failoverDelayUs', 'forwardingLatencyNs', 'cutThrough'] as const
const INT_FIELDS = ['bytesPerRecord', 'maxHops'] as const
const PFC_FIELDS = ['xoffBytes', 'xonBytes', 'headroomBytes'] as const
const ECN_FIELDS = ['kminBytes', 'kmaxBytes', 'pmax'] as const
const NIC_FIELDS = [
  'processingDelayNs',
  'reliability',
  'entropyPolicy',
  'entropyValues',
  'qpsPerConnection',
  'congestionControl',
  'ccParams',
  'windowBdp',
  'ackEveryPackets',
  'rtoUs',
  'retryLimit',
  'nakIntervalUs',
  'reorderWindowPackets',
  'reorderNackThresholdPackets',
] as const

/** Validates a parsed profile JSON; errors name `source` and the field path. */
export function parseProfile(json: unknown, source: string): FabricProfile {
  const r = new FieldReader(source)
  const o = r.versionedObject(json, 'aifab.profile', 1, TOP_FIELDS)
  const name = r.string(o, 'name')

  const rs = r.at('switch')
  const sw = rs.object(o.switch)
  rs.onlyKeys(sw, SWITCH_FIELDS)
  let ecn: FabricProfile['switch']['ecn'] = null
  if (sw.ecn !== null && sw.ecn !== undefined) {
    const re = rs.at('ecn')
    const e = re.object(sw.ecn)
    re.onlyKeys(e, ECN_FIELDS)
    const kminBytes = re.number(e, 'kminBytes', { integer: true, min: 0 })
    const kmaxBytes = re.number(e, 'kmaxBytes', { integer: true, min: 1 })
    if (kmaxBytes <= kminBytes) re.fail(`expected kmaxBytes > kminBytes (${kminBytes}), got ${kmaxBytes}`, 'kmaxBytes')
    ecn = { kminBytes, kmaxBytes, pmax: re.number(e, 'pmax', { min: 0, max: 1 }) }
  }
  let int: FabricProfile['switch']['int'] = null
  if (sw.int !== null && sw.int !== undefined) {
    const ri = rs.at('int')
    const t = ri.object(sw.int)
    ri.onlyKeys(t, INT_FIELDS)
    int = { bytesPerRecord: ri.number(t, 'bytesPerRecord', { integer: true, min: 0, max: 64 }), maxHops: ri.number(t, 'maxHops', { integer: true, min: 1, max: 8 }) }
  }
  const rb = rs.at('buffer')
  const b = rb.object(sw.buffer)
  const model = rb.oneOf(b, 'model', ['static', 'shared'] as const)
  let buffer: FabricProfile['switch']['buffer']
  if (model === 'static') {
    rb.onlyKeys(b, ['model'])
    buffer = { model }
  } else {
    rb.onlyKeys(b, ['model', 'alpha', 'reservePerQueueBytes'])
    buffer = {
      model,
      alpha: rb.number(b, 'alpha', { min: 1 / 64, max: 64 }),
      reservePerQueueBytes: rb.number(b, 'reservePerQueueBytes', { integer: true, min: 0, optional: true }) ?? 0,
    }
  }
  let pfc: FabricProfile['switch']['pfc'] = null
  if (sw.pfc !== null && sw.pfc !== undefined) {
    const rp = rs.at('pfc')
    const p = rp.object(sw.pfc)
    rp.onlyKeys(p, PFC_FIELDS)
    const xoffBytes = rp.number(p, 'xoffBytes', { integer: true, min: 1 })
    const xonBytes = rp.number(p, 'xonBytes', { integer: true, min: 0 })
    if (xonBytes >= xoffBytes) rp.fail(`expected xonBytes < xoffBytes (${xoffBytes}), got ${xonBytes}`, 'xonBytes')
    pfc = { xoffBytes, xonBytes, headroomBytes: rp.number(p, 'headroomBytes', { integer: true, min: 0 }) }
  }

  const rn = r.at('nic')
  const nic = rn.object(o.nic)
  rn.onlyKeys(nic, NIC_FIELDS)
  const reorderWindowPackets = rn.number(nic, 'reorderWindowPackets', { integer: true, min: 1, max: 1 << 20 })
  return {
    format: 'aifab.profile',
    version: 1,
    name,
    switch: {
      loadBalancing: rs.oneOf(sw, 'loadBalancing', LOAD_BALANCING_MODES),
      sprayOrder: rs.oneOf(sw, 'sprayOrder', SPRAY_ORDERS),
      adaptiveThresholdBytes: rs.number(sw, 'adaptiveThresholdBytes', { integer: true, min: 0 }),
      flowletGapNs: rs.number(sw, 'flowletGapNs', { min: 0, max: 1e9 }),
      flowletPick: rs.oneOf(sw, 'flowletPick', FLOWLET_PICKS),
      ecn,
      buffer,
      pfc,
      trimming: rs.boolean(sw, 'trimming'),
      failoverDelayUs: rs.number(sw, 'failoverDelayUs', { min: 0, max: 1e9 }),
      int,
      forwardingLatencyNs: rs.number(sw, 'forwardingLatencyNs', { min: 0, max: 1e6 }),
      cutThrough: rs.boolean(sw, 'cutThrough'),
    },
    faults: o.faults === undefined ? [] : parseFaults(o.faults, r.at('faults')),
    nic: {
      processingDelayNs: rn.number(nic, 'processingDelayNs', { min: 0, max: 1e6 }),
      reliability: rn.oneOf(nic, 'reliability', RELIABILITY_MODES),
      entropyPolicy: rn.oneOf(nic, 'entropyPolicy', ENTROPY_POLICIES),
      entropyValues: rn.number(nic, 'entropyValues', { integer: true, min: 1, max: 65536 }),
      qpsPerConnection: rn.number(nic, 'qpsPerConnection', { integer: true, min: 1, max: 256 }),
      congestionControl: nonEmpty(rn, nic, 'congestionControl'),
      ccParams: numberMap(rn.at('ccParams'), nic.ccParams),
      windowBdp: rn.number(nic, 'windowBdp', { min: 0.01, max: 1000 }),
      ackEveryPackets: rn.number(nic, 'ackEveryPackets', { integer: true, min: 1, max: 1024 }),
      rtoUs: rn.number(nic, 'rtoUs', { min: 0.001, max: 1e7 }),
      retryLimit: rn.number(nic, 'retryLimit', { integer: true, min: 0, max: 1000 }),
      nakIntervalUs: rn.number(nic, 'nakIntervalUs', { min: 0, max: 1e7 }),
      reorderWindowPackets,
      reorderNackThresholdPackets: rn.number(nic, 'reorderNackThresholdPackets', { integer: true, min: 1, max: 1 << 20 }),
    },
  }
}

/**
 * Checks that a profile makes sense on a topology: ECN marks before drop-tail
 * acts (REFERENCE.md: Kmax well below the buffer, here at most half), the
 * retransmission timeout is not shorter than a round trip, and in reorder mode
 * a lost packet can be NACKed at all (the threshold fits in the send window).
 */
export function checkProfileFitsTopology(p: FabricProfile, t: TopologyConfig, profileSource: string): void {
  const fail = (path: string, expected: string) => {
    throw new InputError(profileSource, path, expected)
  }
  if (p.switch.ecn && p.switch.ecn.kmaxBytes > t.portBufferBytes / 2) {
    fail('switch.ecn.kmaxBytes', `expected at most half the port buffer (${t.portBufferBytes / 2} bytes) so ECN marks before drop-tail acts, got ${p.switch.ecn.kmaxBytes}`)
  }
  p.faults.forEach((f, i) => {
    const cable = cableName(f.link, t)
    if (cable === null) {
      fail(`faults[${i}].link`, `no such link ${JSON.stringify(f.link)} on this topology; links look like host5-leaf0 or leaf0-spine3 (fat tree: host5-edge2, edge2-agg1, agg1-core3; rail: host5-rail5, rail5-spine0, host5-nvs0)`)
    }
    if (f.kind === 'loss' && f.towards !== undefined && !cable!.split('-').includes(f.towards)) {
      fail(`faults[${i}].towards`, `expected one end of ${cable} (${cable!.split('-').join(' or ')}), got ${JSON.stringify(f.towards)}`)
    }
  })
  if (p.switch.buffer.model === 'static' && p.switch.pfc !== null && p.switch.pfc.xoffBytes + p.switch.pfc.headroomBytes > t.portBufferBytes) {
    fail('switch.pfc.headroomBytes', `expected xoffBytes + headroomBytes to fit a port's buffer (${t.portBufferBytes} bytes), got ${p.switch.pfc.xoffBytes + p.switch.pfc.headroomBytes}`)
  }
  const timing = fabricTiming(t, p)
  const rttUs = usFromPs(timing.baseRttPs)
  if (p.nic.rtoUs < rttUs) {
    fail('nic.rtoUs', `expected at least the base round trip of this topology (${rttUs.toFixed(3)} us), got ${p.nic.rtoUs}`)
  }
  if (p.nic.reliability !== 'go-back-n' && p.nic.reorderNackThresholdPackets >= timing.windowPackets) {
    fail(
      'nic.reorderNackThresholdPackets',
      `expected fewer than the send window on this topology (${timing.windowPackets} packets), or no hole could ever be NACKed, got ${p.nic.reorderNackThresholdPackets}`,
    )
  }
}

function nonEmpty(r: FieldReader, o: Record<string, unknown>, key: string): string {
  const v = r.string(o, key)
  if (v.trim() === '') r.fail('expected a name or a module path, got an empty string', key)
  return v
}

/** An optional object of name -> finite number. */
function numberMap(r: FieldReader, v: unknown): Record<string, number> {
  if (v === undefined) return {}
  const o = r.object(v)
  for (const [k, x] of Object.entries(o)) if (typeof x !== 'number' || !Number.isFinite(x)) r.fail(`expected a number, got ${JSON.stringify(x)}`, k)
  return o as Record<string, number>
}

/**
 * Checks that a congestion controller can work with a profile: INT-based ones
 * need switch.int, ECN-based ones need switch.ecn. Errors name the profile field.
 */
export function checkCcFitsProfile(def: CcDefinition, p: FabricProfile, source: string): void {
  if (def.needsInt && p.switch.int === null) {
    throw new InputError(source, 'switch.int', `congestion control ${def.name} reads INT records: expected INT on (e.g. {"bytesPerRecord": 8, "maxHops": 5}), got null`)
  }
  if (def.needsEcn && p.switch.ecn === null) {
    throw new InputError(source, 'switch.ecn', `congestion control ${def.name} reacts to ECN marks: expected RED thresholds, got null`)
  }
}
