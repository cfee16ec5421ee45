import { ACK_WIRE_BYTES, dataWireBytes, psFromNs } from '@aifab/core'
import { BUILTIN_CC, type CcDefinition } from '@aifab/nic'
import type { FabricProfile } from './fabric-profile.ts'
import { Fabric, type PathHop } from './fabric.ts'
import { fabricTiming, oneWayPs, windowPacketsFor } from './fabric-timing.ts'
import { railGroupServers, railPlanes, type RailConfig } from './topology-config.ts'
import { Wiring } from './wiring.ts'

/**
 * Wires a rail-optimized cluster (see RailConfig). Per plane p: rail switch
 * `rail{p*R + u*G + g}` (R rails per plane, u the rail group, g the GPU index)
 * has one port down to GPU g of each server of group u, then one up to each of
 * the plane's spines `spine{p*spines + j}`; spine ports lead to the plane's
 * rail switches in order. NVSwitch `nvs{s}` has one port to each GPU of server
 * s. NIC lanes: the plane ports share lane 0 when packets are striped, else
 * plane p is lane p; the NVLink port is the last lane.
 */
export function buildRail(
  topo: RailConfig,
  profile: FabricProfile,
  seed: number,
  cc: CcDefinition = BUILTIN_CC.none!,
  ccParams: Record<string, number> = {},
): Fabric {
  const f = new Fabric(topo, profile, seed, cc, ccParams)
  const G = topo.gpusPerServer
  const U = railGroupServers(topo)
  const P = railPlanes(topo)
  const R = (topo.servers / U) * G
  const hosts = topo.servers * G
  const striped = (topo.planeSelection ?? 'packet') === 'packet'
  const serverOf = (h: number) => Math.floor(h / G)
  /** Rail switch of host h within a plane (0..R-1). */
  const railOf = (h: number) => Math.floor(serverOf(h) / U) * G + (h % G)
  const timing = fabricTiming(topo, profile)
  const { hostUp, up, down, hostDown } = timing.hops

  const frame = dataWireBytes(topo.mtuBytes, false)
  const nvLane = striped ? 1 : P
  // GPU to NVSwitch and NVSwitch to GPU, when NVLink is modelled.
  let nvPath: PathHop[] | null = null
  if (topo.nvlinkGbps !== undefined) {
    const rateBps = topo.nvlinkGbps * 1e9
    const delayPs = psFromNs(topo.nvlinkDelayNs ?? topo.linkDelayNs)
    nvPath = [
      { rateBps, delayPs: delayPs + psFromNs(profile.switch.forwardingLatencyNs), cutThrough: profile.switch.cutThrough },
      { rateBps, delayPs: delayPs + psFromNs(profile.nic.processingDelayNs), cutThrough: false },
    ]
    // The NVLink lane's own bandwidth-delay product sets its queue pairs' window.
    const rttPs = oneWayPs(nvPath, frame) + oneWayPs(nvPath, ACK_WIRE_BYTES)
    f.laneLineRateBps[nvLane] = rateBps
    f.laneWindowBytes[nvLane] = windowPacketsFor(rttPs, rateBps, frame, profile.nic) * topo.mtuBytes
    f.laneBaseRttPs[nvLane] = rttPs
  } else {
    f.skips = (src, dst) => serverOf(src) === serverOf(dst)
  }
  const nv = nvPath
  const networkPath = (src: number, dst: number) => timing.path(railOf(src) === railOf(dst) ? 1 : 2)
  f.pathOf = nv === null ? networkPath : (src, dst) => (serverOf(src) === serverOf(dst) ? nv : networkPath(src, dst))
  // A queue pair pinned to one plane sends at that plane's port rate, with that rate's window.
  if (!striped) {
    const planeWindowBytes = windowPacketsFor(timing.baseRttPs, hostUp.rateBps, frame, profile.nic) * topo.mtuBytes
    for (let p = 0; p < P; p++) {
      f.laneLineRateBps[p] = hostUp.rateBps
      f.laneWindowBytes[p] = planeWindowBytes
    }
  }
  f.laneOf = (src, dst, channel) => (nv !== null && serverOf(src) === serverOf(dst) ? nvLane : striped ? 0 : channel % P)
  const w = new Wiring(f, topo, profile, cc, ccParams, timing)

  const rails = Array.from({ length: P * R }, (_, r) => w.switch(r, `rail${r}`))
  const spines = Array.from({ length: P * topo.spines }, (_, s) => w.switch(P * R + s, `spine${s}`))
  const nvs = nv !== null ? Array.from({ length: topo.servers }, (_, s) => w.switch(P * (R + topo.spines) + s, `nvs${s}`)) : []
  for (let h = 0; h < hosts; h++) {
    const nic = w.nic(h, rails[railOf(h)]!, `rail${railOf(h)}`, hostUp)
    for (let p = 1; p < P; p++) w.nicPort(nic, rails[p * R + railOf(h)]!, `rail${p * R + railOf(h)}`, hostUp, striped ? 0 : p, 'host-up')
    if (nv !== null) w.nicPort(nic, nvs[serverOf(h)]!, `nvs${serverOf(h)}`, nv[0]!, nvLane, 'nvlink-up')
  }
  const buf = topo.portBufferBytes
  for (let p = 0; p < P; p++) {
    for (let r = 0; r < R; r++) {
      const sw = rails[p * R + r]!
      const name = `rail${p * R + r}`
      const u = Math.floor(r / G)
      for (let i = 0; i < U; i++) {
        const h = (u * U + i) * G + (r % G)
        const port = w.port(`${name}>host${h}`, 'leaf-down', hostDown, buf, f.nics[h]!, true)
        sw.addPort(port)
        w.cable(`host${h}-${name}`, port)
      }
      for (let j = 0; j < topo.spines; j++) {
        const s = p * topo.spines + j
        const port = w.port(`${name}>spine${s}`, 'leaf-up', up, buf, spines[s]!, true)
        sw.addPort(port)
        w.cable(`${name}-spine${s}`, port)
      }
    }
    for (let j = 0; j < topo.spines; j++) {
      const s = p * topo.spines + j
      for (let r = 0; r < R; r++) {
        const port = w.port(`spine${s}>rail${p * R + r}`, 'spine-down', down, buf, rails[p * R + r]!, true)
        spines[s]!.addPort(port)
        w.cable(`rail${p * R + r}-spine${s}`, port)
      }
    }
  }
  nvs.forEach((sw, s) => {
    for (let g = 0; g < G; g++) {
      const h = s * G + g
      const port = w.port(`nvs${s}>host${h}`, 'nvlink-down', nv![1]!, buf, f.nics[h]!, false)
      sw.addPort(port)
      w.cable(`host${h}-nvs${s}`, port)
    }
  })

  // Shortest paths over the cables that are up, plane by plane: a rail switch
  // hands its own GPUs down and reaches any other through each spine still
  // connected to both rail switches (GPUs of one server too, if their traffic
  // ever reaches the network); an NVSwitch reaches its server's GPUs.
  f.reroute = (downCables) => {
    const ok = (name: string) => !downCables.has(name)
    for (let p = 0; p < P; p++) {
      for (let r = 0; r < R; r++) {
        const name = `rail${p * R + r}`
        rails[p * R + r]!.setRoutes(
          Array.from({ length: hosts }, (_, h) => {
            const m = railOf(h)
            if (m === r) return ok(`host${h}-${name}`) ? [serverOf(h) % U] : []
            const via: number[] = []
            for (let j = 0; j < topo.spines; j++) {
              const s = p * topo.spines + j
              if (ok(`${name}-spine${s}`) && ok(`rail${p * R + m}-spine${s}`)) via.push(U + j)
            }
            return via
          }),
        )
      }
      for (let j = 0; j < topo.spines; j++) {
        const s = p * topo.spines + j
        spines[s]!.setRoutes(Array.from({ length: hosts }, (_, h) => (ok(`rail${p * R + railOf(h)}-spine${s}`) ? [railOf(h)] : [])))
      }
    }
    nvs.forEach((sw, s) => sw.setRoutes(Array.from({ length: hosts }, (_, h) => (serverOf(h) === s && ok(`host${h}-nvs${s}`) ? [h % G] : []))))
  }
  w.finish()
  return f
}
