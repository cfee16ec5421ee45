import { psFromNs, psFromUs, type PacketSink } from '@aifab/core'
import { EgressPort, Link, RedMarker } from '@aifab/link'
import { Nic, type CcDefinition, type NicConfig } from '@aifab/nic'
import { Switch, SwitchBuffer } from '@aifab/switch'
import type { FabricProfile } from './fabric-profile.ts'
import type { Fabric, PathHop, PortTier } from './fabric.ts'
import { FaultInjector } from './fault-injector.ts'
import type { FabricTiming } from './fabric-timing.ts'
import { cableName } from './fault.ts'
import { nicLineRateBps, type TopologyConfig } from './topology-config.ts'

/**
 * What every topology builder does the same way: ports and links (with ECN,
 * cut-through and ingress indices), cables for faults, switches with the
 * profile's load balancing, NICs, and finally buffers, INT, trimming and the
 * fault injector. A builder only decides the shape and the routes.
 */
export class Wiring {
  private readonly ingressOf = new Map<PacketSink, Link[]>()
  private readonly portIndex = new Map<EgressPort, number>()
  readonly nicConfig: NicConfig

  constructor(
    private readonly f: Fabric,
    private readonly topo: TopologyConfig,
    private readonly profile: FabricProfile,
    cc: CcDefinition,
    ccParams: Record<string, number>,
    timing: FabricTiming,
  ) {
    f.baseRttPs = timing.baseRttPs
    f.windowBytes = timing.windowPackets * topo.mtuBytes
    f.pfcHeadroomNeededBytes = timing.pfcHeadroomNeededBytes
    const nic = profile.nic
    this.nicConfig = {
      mode: nic.reliability,
      mtuBytes: topo.mtuBytes,
      lineRateBps: nicLineRateBps(topo),
      windowBytes: f.windowBytes,
      ackEveryPackets: nic.ackEveryPackets,
      rtoPs: psFromUs(nic.rtoUs),
      retryLimit: nic.retryLimit,
      intBytesPerRecord: profile.switch.int?.bytesPerRecord ?? 0,
      cnpIntervalPs: cc.cnpIntervalParam !== undefined ? psFromUs(ccParams[cc.cnpIntervalParam]!) : 0,
      entropyPolicy: nic.entropyPolicy,
      entropyValues: nic.entropyValues,
      nakIntervalPs: psFromUs(nic.nakIntervalUs),
      reorderWindowPackets: nic.reorderWindowPackets,
      reorderNackThresholdPackets: nic.reorderNackThresholdPackets,
      ccName: cc.name,
    }
  }

  /** An egress port and its link toward `to`; switch ports get ECN marking. */
  port(name: string, tier: PortTier, hop: PathHop, bufferBytes: number, to: PacketSink, ecn: boolean): EgressPort {
    const { f, profile } = this
    const link = new Link(f.sched, f.pool, name, hop.delayPs, psFromNs(this.topo.linkDelayNs), f.linkStore)
    link.cutThrough = hop.cutThrough
    link.next = to
    const into = this.ingressOf.get(to) ?? []
    link.ingressIndex = into.length
    into.push(link)
    this.ingressOf.set(to, into)
    const p = new EgressPort(f.sched, f.pool, { name, rateBps: hop.rateBps, bufferBytes }, link, f.portStore)
    if (ecn && profile.switch.ecn) p.marker = new RedMarker(profile.switch.ecn, f.rng.stream(`port/${name}/red`))
    this.portIndex.set(p, f.ports.length)
    f.ports.push(p)
    f.portTiers.push(tier)
    f.links.push(link)
    return p
  }

  /** A switch-to-switch or switch-to-host cable, as faults name it: both directions' ports. */
  cable(name: string, ...ports: EgressPort[]): void {
    this.f.cables.set(name, [...(this.f.cables.get(name) ?? []), ...ports])
  }

  switch(id: number, name: string): Switch {
    const { f, profile } = this
    const sw = new Switch(
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
      f.sched,
      f.pool,
      f.rng.stream(`switch/${name}/lb`),
      f.routeTables,
    )
    f.switches.push(sw)
    return sw
  }

  /** Host h's NIC and its port toward `edge` (only ACKs and NAKs ever queue there: data is pulled). */
  nic(h: number, edge: Switch, edgeName: string, hop: PathHop): Nic {
    const nic = new Nic(h, this.f.sched, this.f.pool, this.nicConfig, this.f.qps)
    this.f.nics.push(nic)
    this.nicPort(nic, edge, edgeName, hop, 0, 'host-up')
    return nic
  }

  /** One more port of a NIC, toward switch `to`, draining NIC lane `lane`. */
  nicPort(nic: Nic, to: Switch, toName: string, hop: PathHop, lane: number, tier: PortTier): void {
    const p = this.port(`host${nic.host}>${toName}`, tier, hop, Number.MAX_SAFE_INTEGER, to, false)
    nic.addPort(p, lane)
    this.cable(`host${nic.host}-${toName}`, p)
  }

  /** After the shape is wired: buffers (and PFC), INT, trimming, routes, faults. */
  finish(): void {
    const { f, profile, topo } = this
    const int = profile.switch.int
    if (int !== null) f.pool.enableInt(int.maxHops)
    const b = profile.switch.buffer
    for (const sw of f.switches) {
      for (const p of sw.ports) {
        p.trim = profile.switch.trimming
        if (int !== null) p.int = { switchId: sw.cfg.id, portId: this.portIndex.get(p)!, bytesPerRecord: int.bytesPerRecord }
      }
      const buffer = new SwitchBuffer(
        f.sched,
        f.pool,
        {
          model: b.model,
          portBufferBytes: topo.portBufferBytes,
          totalBytes: topo.sharedBufferBytes ?? sw.ports.length * topo.portBufferBytes,
          alpha: b.model === 'shared' ? b.alpha : 1,
          reservePerQueueBytes: b.model === 'shared' ? b.reservePerQueueBytes : 0,
          pfc: profile.switch.pfc,
        },
        this.ingressOf.get(sw) ?? [],
      )
      buffer.reserveFor(sw.ports.length)
      for (const p of sw.ports) p.buffer = buffer
      f.buffers.push(buffer)
    }
    f.reroute(new Set())
    if (profile.faults.length > 0) {
      const faults = profile.faults.map((event) => ({ event, cable: cableName(event.link, topo)! }))
      f.faultInjector = new FaultInjector(f, faults, psFromUs(profile.switch.failoverDelayUs))
    }
  }
}
