import { ACK_WIRE_BYTES, CUT_THROUGH_HEADER_BYTES, dataWireBytes, psFromNs, serializationPs } from '@aifab/core'
import { PFC_FRAME_WIRE_BYTES } from '@aifab/switch'
import type { FabricProfile } from './fabric-profile.ts'
import type { PathHop } from './fabric.ts'
import { nicLineRateBps, switchLevels, type TopologyConfig } from './topology-config.ts'

/** Latencies a fabric's shape and devices imply, with empty queues. */
export interface FabricTiming {
  /** Round trip of an MTU packet and its ACK over the longest path. */
  baseRttPs: number
  /** The fixed in-flight window of a queue pair, in packets. */
  windowPackets: number
  /** PFC headroom an ingress needs (REFERENCE.md): what arrives between sending a PAUSE and the sender stopping, on the fastest link. */
  pfcHeadroomNeededBytes: number
  /** The four kinds of hop: host to its switch, up between switches, down between switches, switch to host. */
  hops: { hostUp: PathHop; up: PathHop; down: PathHop; hostDown: PathHop }
  /** The hops of a path that climbs `levels` switch levels (1: both hosts under one switch). */
  path(levels: number): PathHop[]
}

/**
 * Time from the first bit of a `frameBytes` frame leaving the source to its
 * last bit reaching the destination NIC: every hop's delay (link and the device
 * it enters), and every hop's serialization of the whole frame, except that a
 * cut-through switch passes it on after the headers.
 */
export function oneWayPs(path: readonly PathHop[], frameBytes: number): number {
  let ps = 0
  for (const h of path) ps += h.delayPs + serializationPs(h.cutThrough ? Math.min(frameBytes, CUT_THROUGH_HEADER_BYTES) : frameBytes, h.rateBps)
  return ps
}

/**
 * A queue pair's fixed window in packets: windowBdp x (packets sent at
 * `rateBps` in one round trip), plus the packets an ACK waits for when ACKs
 * are coalesced.
 */
export function windowPacketsFor(rttPs: number, rateBps: number, frameBytes: number, nic: Pick<FabricProfile['nic'], 'windowBdp' | 'ackEveryPackets'>): number {
  return Math.ceil((nic.windowBdp * rttPs) / serializationPs(frameBytes, rateBps)) + nic.ackEveryPackets - 1
}

export function fabricTiming(topo: TopologyConfig, profile: Pick<FabricProfile, 'switch' | 'nic'>): FabricTiming {
  const nic = profile.nic
  const hostRateBps = topo.hostLinkGbps * 1e9
  const fabricRateBps = topo.fabricLinkGbps * 1e9
  const linkDelayPs = psFromNs(topo.linkDelayNs)
  const intoSwitch = linkDelayPs + psFromNs(profile.switch.forwardingLatencyNs)
  // A cut-through switch can only start sending before the frame is in when no
  // egress it may forward to is faster than the ingress (else it would run dry):
  // otherwise it stores and forwards, as real switches do.
  const cut = profile.switch.cutThrough
  const hostUp: PathHop = { rateBps: hostRateBps, delayPs: intoSwitch, cutThrough: cut && hostRateBps >= fabricRateBps }
  const up: PathHop = { rateBps: fabricRateBps, delayPs: intoSwitch, cutThrough: cut }
  const down: PathHop = { rateBps: fabricRateBps, delayPs: intoSwitch, cutThrough: cut && fabricRateBps >= hostRateBps }
  const hostDown: PathHop = { rateBps: hostRateBps, delayPs: linkDelayPs + psFromNs(nic.processingDelayNs), cutThrough: false }
  const paths = new Map<number, PathHop[]>()
  const path = (levels: number) => {
    let p = paths.get(levels)
    if (p === undefined) {
      p = [hostUp, ...Array<PathHop>(levels - 1).fill(up), ...Array<PathHop>(levels - 1).fill(down), hostDown]
      paths.set(levels, p)
    }
    return p
  }
  const longest = path(switchLevels(topo))
  const frameBytes = dataWireBytes(topo.mtuBytes, false)
  // Paths are symmetric: the ACK crosses the same kinds of hops back.
  const baseRttPs = oneWayPs(longest, frameBytes) + oneWayPs(longest, ACK_WIRE_BYTES)
  const windowPackets = windowPacketsFor(baseRttPs, nicLineRateBps(topo), frameBytes, nic)
  // What arrives after XOFF is crossed: the PAUSE's trip up the cable and the
  // data already on it and in the switch's pipeline (2 x propagation + forwarding
  // latency, at the fastest rate), one maximum frame being sent when the PAUSE
  // arrives and one being received, and the PAUSE itself.
  const fastestBps = Math.max(hostRateBps, fabricRateBps)
  const inFlightPs = 2 * linkDelayPs + psFromNs(profile.switch.forwardingLatencyNs)
  const pfcHeadroomNeededBytes = Math.ceil((inFlightPs * fastestBps) / 8e12) + 2 * dataWireBytes(topo.mtuBytes, true) + PFC_FRAME_WIRE_BYTES
  return { baseRttPs, windowPackets, pfcHeadroomNeededBytes, hops: { hostUp, up, down, hostDown }, path }
}
