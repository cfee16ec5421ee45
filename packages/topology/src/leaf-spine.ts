import { BUILTIN_CC, type CcDefinition } from '@aifab/nic'
import type { FabricProfile } from './fabric-profile.ts'
import { Fabric } from './fabric.ts'
import { fabricTiming } from './fabric-timing.ts'
import type { LeafSpineConfig } from './topology-config.ts'
import { Wiring } from './wiring.ts'

/**
 * Wires a leaf-spine fabric. Hosts 0..H-1 sit under leaves in order
 * (host h under leaf floor(h / hostsPerLeaf)); every leaf has one link to
 * every spine. Leaf ports: first the host downlinks, then one uplink per spine.
 */
export function buildLeafSpine(
  topo: LeafSpineConfig,
  profile: FabricProfile,
  seed: number,
  cc: CcDefinition = BUILTIN_CC.none!,
  ccParams: Record<string, number> = {},
): Fabric {
  const f = new Fabric(topo, profile, seed, cc, ccParams)
  const hosts = topo.leaves * topo.hostsPerLeaf
  const leafOf = (h: number) => Math.floor(h / topo.hostsPerLeaf)
  const timing = fabricTiming(topo, profile)
  const { hostUp, up, down, hostDown } = timing.hops
  f.pathOf = (src, dst) => timing.path(leafOf(src) === leafOf(dst) ? 1 : 2)
  const w = new Wiring(f, topo, profile, cc, ccParams, timing)

  const leaves = Array.from({ length: topo.leaves }, (_, l) => w.switch(l, `leaf${l}`))
  const spines = Array.from({ length: topo.spines }, (_, s) => w.switch(topo.leaves + s, `spine${s}`))
  for (let h = 0; h < hosts; h++) w.nic(h, leaves[leafOf(h)]!, `leaf${leafOf(h)}`, hostUp)
  for (let l = 0; l < topo.leaves; l++) {
    for (let i = 0; i < topo.hostsPerLeaf; i++) {
      const h = l * topo.hostsPerLeaf + i
      const p = w.port(`leaf${l}>host${h}`, 'leaf-down', hostDown, topo.portBufferBytes, f.nics[h]!, true)
      leaves[l]!.addPort(p)
      w.cable(`host${h}-leaf${l}`, p)
    }
    for (let s = 0; s < topo.spines; s++) {
      const p = w.port(`leaf${l}>spine${s}`, 'leaf-up', up, topo.portBufferBytes, spines[s]!, true)
      leaves[l]!.addPort(p)
      w.cable(`leaf${l}-spine${s}`, p)
    }
  }
  for (let s = 0; s < topo.spines; s++) {
    for (let l = 0; l < topo.leaves; l++) {
      const p = w.port(`spine${s}>leaf${l}`, 'spine-down', down, topo.portBufferBytes, leaves[l]!, true)
      spines[s]!.addPort(p)
      w.cable(`leaf${l}-spine${s}`, p)
    }
  }

  // Shortest paths over the cables that are up: a leaf reaches a remote host
  // through every spine still connected to both leaves.
  f.reroute = (downCables) => {
    const ok = (name: string) => !downCables.has(name)
    for (let l = 0; l < topo.leaves; l++) {
      leaves[l]!.setRoutes(
        Array.from({ length: hosts }, (_, h) => {
          const m = leafOf(h)
          if (m === l) return ok(`host${h}-leaf${l}`) ? [h - l * topo.hostsPerLeaf] : []
          const via: number[] = []
          for (let s = 0; s < topo.spines; s++) if (ok(`leaf${l}-spine${s}`) && ok(`leaf${m}-spine${s}`)) via.push(topo.hostsPerLeaf + s)
          return via
        }),
      )
    }
    spines.forEach((sp, s) => sp.setRoutes(Array.from({ length: hosts }, (_, h) => (ok(`leaf${leafOf(h)}-spine${s}`) ? [leafOf(h)] : []))))
  }
  w.finish()
  return f
}
