import { ACK_WIRE_BYTES, dataWireBytes, psFromNs, serializationPs } from '@aifab/core'
import { PFC_FRAME_WIRE_BYTES } from '@aifab/switch'
import type { FabricProfile } from './fabric-profile.ts'
import type { PathHop } from './fabric.ts'
import type { TopologyConfig } from './topology-config.ts'

/** Latencies a fabric's shape implies, with empty queues. */
export interface FabricTiming {
  /** Round trip of an MTU packet and its ACK over the longest path. */
  baseRttPs: number
  /** The fixed in-flight window of a queue pair, in packets. */
  windowPackets: number
  /** PFC headroom an ingress needs (REFERENCE.md): what arrives between sending a PAUSE and the sender stopping, on the fastest link. */
  pfcHeadroomNeededBytes: number
  /** The links of a path between hosts under the same leaf, and under different leaves. */
  intraLeafPath: PathHop[]
  interLeafPath: PathHop[]
}

export function fabricTiming(topo: TopologyConfig, nic: FabricProfile['nic']): FabricTiming {
  const hostRateBps = topo.hostLinkGbps * 1e9
  const delayPs = psFromNs(topo.linkDelayNs)
  const hostHop: PathHop = { rateBps: hostRateBps, delayPs }
  const fabricHop: PathHop = { rateBps: topo.fabricLinkGbps * 1e9, delayPs }
  const intraLeafPath = [hostHop, hostHop]
  const interLeafPath = [hostHop, fabricHop, fabricHop, hostHop]
  const longest = topo.leaves > 1 ? interLeafPath : intraLeafPath
  const frameBytes = dataWireBytes(topo.mtuBytes, false)
  const baseRttPs = longest.reduce(
    (ps, h) => ps + 2 * h.delayPs + serializationPs(frameBytes, h.rateBps) + serializationPs(ACK_WIRE_BYTES, h.rateBps),
    0,
  )
  // windowBdp x (packets the host link sends in one base RTT), plus the packets
  // an ACK waits for when ACKs are coalesced.
  const bdpPackets = Math.ceil((nic.windowBdp * baseRttPs) / serializationPs(frameBytes, hostRateBps))
  // 2 x delay x rate (the wire before and after the PAUSE), one maximum frame
  // being sent when the PAUSE arrives and one being received, and the PAUSE itself.
  const fastestBps = Math.max(hostRateBps, fabricHop.rateBps)
  const pfcHeadroomNeededBytes = Math.ceil((2 * delayPs * fastestBps) / 8e12) + 2 * dataWireBytes(topo.mtuBytes, true) + PFC_FRAME_WIRE_BYTES
  return { baseRttPs, windowPackets: bdpPackets + nic.ackEveryPackets - 1, pfcHeadroomNeededBytes, intraLeafPath, interLeafPath }
}
