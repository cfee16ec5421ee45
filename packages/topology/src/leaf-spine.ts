import { psFromNs, psFromUs, type PacketSink } from '@aifab/core'
import { EgressPort, Link, RedMarker } from '@aifab/link'
import { cableName } from './fault.ts'
import { FaultInjector } from './fault-injector.ts'
import { BUILTIN_CC, Nic, type CcDefinition, type NicConfig } from '@aifab/nic'
import { Switch, SwitchBuffer, type SwitchBufferConfig } from '@aifab/switch'
import type { FabricProfile } from './fabric-profile.ts'
import { Fabric, type PathHop, type PortTier } from './fabric.ts'
import { fabricTiming } from './fabric-timing.ts'
import type { LeafSpineConfig } from './topology-config.ts'

const none = BUILTIN_CC.none!

/**
 * Wires a leaf-spine fabric. Hosts 0..H-1 sit under leaves in order
 * (host h under leaf floor(h / hostsPerLeaf)); every leaf has one link to
 * every spine. Leaf ports: first the host downlinks, then one uplink per spine.
 */
export function buildLeafSpine(topo: LeafSpineConfig, profile: FabricProfile, seed: number, cc: CcDefinition = none, ccParams: Record<string, number> = {}): Fabric {
  const f = new Fabric(topo, profile, seed, cc, ccParams)
  const { sched, pool } = f
  const hosts = topo.leaves * topo.hostsPerLeaf
  const leafOf = (h: number) => Math.floor(h / topo.hostsPerLeaf)

  const timing = fabricTiming(topo, profile)
  const { hostUp, leafUp, spineDown, hostDown } = timing.hops
  f.pathOf = (src, dst) => (leafOf(src) === leafOf(dst) ? timing.intraLeafPath : timing.interLeafPath)
  f.baseRttPs = timing.baseRttPs
  f.windowBytes = timing.windowPackets * topo.mtuBytes
  f.pfcHeadroomNeededBytes = timing.pfcHeadroomNeededBytes
  const nicProfile = profile.nic

  const nicCfg: NicConfig = {
    mode: nicProfile.reliability,
    mtuBytes: topo.mtuBytes,
    lineRateBps: hostUp.rateBps,
    windowBytes: f.windowBytes,
    ackEveryPackets: nicProfile.ackEveryPackets,
    rtoPs: psFromUs(nicProfile.rtoUs),
    retryLimit: nicProfile.retryLimit,
    intBytesPerRecord: profile.switch.int?.bytesPerRecord ?? 0,
    cnpIntervalPs: cc.cnpIntervalParam !== undefined ? psFromUs(ccParams[cc.cnpIntervalParam]!) : 0,
    entropyPolicy: nicProfile.entropyPolicy,
    entropyValues: nicProfile.entropyValues,
    nakIntervalPs: psFromUs(nicProfile.nakIntervalUs),
    reorderWindowPackets: nicProfile.reorderWindowPackets,
    reorderNackThresholdPackets: nicProfile.reorderNackThresholdPackets,
  }

  // Links into each switch, in the order their ingress indices are given.
  const ingressOf = new Map<PacketSink, Link[]>()
  const port = (name: string, tier: PortTier, hop: PathHop, bufferBytes: number, to: PacketSink, ecn: boolean) => {
    const link = new Link(sched, pool, name, hop.delayPs, psFromNs(topo.linkDelayNs))
    link.cutThrough = hop.cutThrough
    link.next = to
    const into = ingressOf.get(to) ?? []
    link.ingressIndex = into.length
    into.push(link)
    ingressOf.set(to, into)
    const p = new EgressPort(sched, pool, { name, rateBps: hop.rateBps, bufferBytes }, link)
    if (ecn && profile.switch.ecn) p.marker = new RedMarker(profile.switch.ecn, f.rng.stream(`port/${name}/red`))
    f.ports.push(p)
    f.portTiers.push(tier)
    f.links.push(link)
    return p
  }

  const switchOf = (id: number, name: string) =>
    new Switch(
      {
        id,
        name,
        lb: {
          mode: profile.switch.loadBalancing,
          sprayOrder: profile.switch.sprayOrder,
          adaptiveThresholdBytes: profile.switch.adaptiveThresholdBytes,
          flowletGapPs: psFromNs(profile.switch.flowletGapNs),
          flowletPick: profile.switch.flowletPick,
        },
        hashSeed: f.rng.derive(`switch/${name}/hash`),
      },
      sched,
      pool,
      f.rng.stream(`switch/${name}/lb`),
    )
  const leaves = Array.from({ length: topo.leaves }, (_, l) => switchOf(l, `leaf${l}`))
  const spines = Array.from({ length: topo.spines }, (_, s) => switchOf(topo.leaves + s, `spine${s}`))
  f.switches.push(...leaves, ...spines)

  const cable = (name: string, p: EgressPort) => f.cables.set(name, [...(f.cables.get(name) ?? []), p])
  for (let h = 0; h < hosts; h++) {
    const nic = new Nic(h, sched, pool, nicCfg, f.qps)
    // Only ACKs and NAKs ever queue at a NIC port (data is pulled when the port is free).
    nic.port = port(`host${h}>leaf${leafOf(h)}`, 'host-up', hostUp, Number.MAX_SAFE_INTEGER, leaves[leafOf(h)]!, false)
    nic.port.source = nic
    cable(`host${h}-leaf${leafOf(h)}`, nic.port)
    f.nics.push(nic)
  }
  for (let l = 0; l < topo.leaves; l++) {
    for (let i = 0; i < topo.hostsPerLeaf; i++) {
      const h = l * topo.hostsPerLeaf + i
      const p = port(`leaf${l}>host${h}`, 'leaf-down', hostDown, topo.portBufferBytes, f.nics[h]!, true)
      leaves[l]!.addPort(p)
      cable(`host${h}-leaf${l}`, p)
    }
    for (let s = 0; s < topo.spines; s++) {
      const p = port(`leaf${l}>spine${s}`, 'leaf-up', leafUp, topo.portBufferBytes, spines[s]!, true)
      leaves[l]!.addPort(p)
      cable(`leaf${l}-spine${s}`, p)
    }
  }
  for (let s = 0; s < topo.spines; s++) {
    for (let l = 0; l < topo.leaves; l++) {
      const p = port(`spine${s}>leaf${l}`, 'spine-down', spineDown, topo.portBufferBytes, leaves[l]!, true)
      spines[s]!.addPort(p)
      cable(`leaf${l}-spine${s}`, p)
    }
  }

  const int = profile.switch.int
  if (int !== null) pool.enableInt(int.maxHops)
  for (const sw of f.switches) {
    for (const p of sw.ports) {
      p.trim = profile.switch.trimming
      if (int !== null) p.int = { switchId: sw.cfg.id, portId: f.ports.indexOf(p), bytesPerRecord: int.bytesPerRecord }
    }
    const buffer = new SwitchBuffer(sched, pool, switchBufferConfig(topo, profile, sw.ports.length), ingressOf.get(sw) ?? [])
    buffer.reserveFor(sw.ports.length)
    for (const p of sw.ports) p.buffer = buffer
    f.buffers.push(buffer)
  }

  // Shortest paths over the cables that are up: a leaf reaches a remote host
  // through every spine still connected to both leaves.
  f.reroute = (down) => {
    const up = (name: string) => !down.has(name)
    for (let l = 0; l < topo.leaves; l++) {
      leaves[l]!.setRoutes(
        Array.from({ length: hosts }, (_, h) => {
          const m = leafOf(h)
          if (m === l) return up(`host${h}-leaf${l}`) ? [h - l * topo.hostsPerLeaf] : []
          const via: number[] = []
          for (let s = 0; s < topo.spines; s++) if (up(`leaf${l}-spine${s}`) && up(`leaf${m}-spine${s}`)) via.push(topo.hostsPerLeaf + s)
          return via
        }),
      )
    }
    spines.forEach((sp, s) => sp.setRoutes(Array.from({ length: hosts }, (_, h) => (up(`leaf${leafOf(h)}-spine${s}`) ? [leafOf(h)] : []))))
  }
  f.reroute(new Set())
  if (profile.faults.length > 0) {
    const faults = profile.faults.map((event) => ({ event, cable: cableName(event.link, topo)! }))
    f.faultInjector = new FaultInjector(f, faults, psFromUs(profile.switch.failoverDelayUs))
  }
  return f
}

/** A switch's buffer: the profile's model and PFC over the topology's sizes. */
function switchBufferConfig(topo: LeafSpineConfig, profile: FabricProfile, ports: number): SwitchBufferConfig {
  const b = profile.switch.buffer
  return {
    model: b.model,
    portBufferBytes: topo.portBufferBytes,
    totalBytes: topo.sharedBufferBytes ?? ports * topo.portBufferBytes,
    alpha: b.model === 'shared' ? b.alpha : 1,
    reservePerQueueBytes: b.model === 'shared' ? b.reservePerQueueBytes : 0,
    pfc: profile.switch.pfc,
  }
}
