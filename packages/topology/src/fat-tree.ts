import { BUILTIN_CC, type CcDefinition } from '@aifab/nic'
import type { FabricProfile } from './fabric-profile.ts'
import { Fabric } from './fabric.ts'
import { fabricTiming } from './fabric-timing.ts'
import type { FatTreeConfig } from './topology-config.ts'
import { Wiring } from './wiring.ts'

/**
 * Wires a k-ary fat tree as htsim does. Pod p has edges and aggregation
 * switches p*k/2 .. p*k/2 + k/2 - 1; host h sits under edge floor(h / (k/2));
 * aggregation switch j of every pod connects to cores j*k/2 .. j*k/2 + k/2 - 1.
 * Edge ports: hosts, then one uplink per aggregation switch of its pod;
 * aggregation ports: edges of its pod, then its cores; core port q leads to pod q.
 */
export function buildFatTree(
  topo: FatTreeConfig,
  profile: FabricProfile,
  seed: number,
  cc: CcDefinition = BUILTIN_CC.none!,
  ccParams: Record<string, number> = {},
): Fabric {
  const f = new Fabric(topo, profile, seed, cc, ccParams)
  const k = topo.k
  const half = k / 2
  const hosts = (k * k * k) / 4
  const edgeOf = (h: number) => Math.floor(h / half)
  const podOf = (h: number) => Math.floor(h / (half * half))
  const timing = fabricTiming(topo, profile)
  const { hostUp, up, down, hostDown } = timing.hops
  f.pathOf = (src, dst) => timing.path(edgeOf(src) === edgeOf(dst) ? 1 : podOf(src) === podOf(dst) ? 2 : 3)
  const w = new Wiring(f, topo, profile, cc, ccParams, timing)

  const edges = Array.from({ length: k * half }, (_, e) => w.switch(e, `edge${e}`))
  const aggs = Array.from({ length: k * half }, (_, a) => w.switch(k * half + a, `agg${a}`))
  const cores = Array.from({ length: half * half }, (_, c) => w.switch(2 * k * half + c, `core${c}`))
  for (let h = 0; h < hosts; h++) w.nic(h, edges[edgeOf(h)]!, `edge${edgeOf(h)}`, hostUp)
  const buf = topo.portBufferBytes
  for (let e = 0; e < k * half; e++) {
    const pod = Math.floor(e / half)
    for (let i = 0; i < half; i++) {
      const h = e * half + i
      const p = w.port(`edge${e}>host${h}`, 'leaf-down', hostDown, buf, f.nics[h]!, true)
      edges[e]!.addPort(p)
      w.cable(`host${h}-edge${e}`, p)
    }
    for (let j = 0; j < half; j++) {
      const a = pod * half + j
      const p = w.port(`edge${e}>agg${a}`, 'leaf-up', up, buf, aggs[a]!, true)
      edges[e]!.addPort(p)
      w.cable(`edge${e}-agg${a}`, p)
    }
  }
  for (let a = 0; a < k * half; a++) {
    const pod = Math.floor(a / half)
    const j = a % half
    for (let i = 0; i < half; i++) {
      const e = pod * half + i
      const p = w.port(`agg${a}>edge${e}`, 'agg-down', down, buf, edges[e]!, true)
      aggs[a]!.addPort(p)
      w.cable(`edge${e}-agg${a}`, p)
    }
    for (let m = 0; m < half; m++) {
      const c = j * half + m
      const p = w.port(`agg${a}>core${c}`, 'agg-up', up, buf, cores[c]!, true)
      aggs[a]!.addPort(p)
      w.cable(`agg${a}-core${c}`, p)
    }
  }
  for (let c = 0; c < half * half; c++) {
    const j = Math.floor(c / half)
    for (let q = 0; q < k; q++) {
      const a = q * half + j
      const p = w.port(`core${c}>agg${a}`, 'core-down', down, buf, aggs[a]!, true)
      cores[c]!.addPort(p)
      w.cable(`agg${a}-core${c}`, p)
    }
  }

  // Up-down routing over the cables that are up: an uplink is a candidate only
  // if some path through it still reaches the destination's edge switch (the
  // edge itself drops what it cannot hand to a host whose cable is down).
  // Candidates depend on the destination's edge only: computed once per edge.
  f.reroute = (downCables) => {
    // With every cable up (every build), skip the name lookups: a k=32 tree would make tens of millions.
    const ok = downCables.size === 0 ? () => true : (name: string) => !downCables.has(name)
    const edgePod = (e: number) => Math.floor(e / half)
    const aggReaches = (a: number, e: number) => Math.floor(a / half) === edgePod(e) && ok(`edge${e}-agg${a}`)
    const coreReaches = (c: number, e: number) => {
      const a = edgePod(e) * half + Math.floor(c / half)
      return ok(`agg${a}-core${c}`) && aggReaches(a, e)
    }
    // Agg a's uplinks toward edge e, computed once per (a, e): every edge switch of a's pod asks.
    const aggUpMemo = new Map<number, number[]>()
    const aggUp = (a: number, e: number) => {
      const key = a * k * half + e
      let via = aggUpMemo.get(key)
      if (via !== undefined) return via
      via = []
      for (let m = 0; m < half; m++) {
        const c = (a % half) * half + m
        if (ok(`agg${a}-core${c}`) && coreReaches(c, e)) via.push(half + m)
      }
      aggUpMemo.set(key, via)
      return via
    }
    const perHost = (byEdge: (e: number) => number[]) => {
      const lists = Array.from({ length: k * half }, (_, e) => byEdge(e))
      return Array.from({ length: hosts }, (_, h) => lists[edgeOf(h)]!)
    }
    edges.forEach((sw, e) => {
      const pod = edgePod(e)
      const toEdge = perHost((d) => {
        if (d === e) return []
        const via: number[] = []
        for (let j = 0; j < half; j++) {
          const a = pod * half + j
          if (!ok(`edge${e}-agg${a}`)) continue
          if (edgePod(d) === pod ? aggReaches(a, d) : aggUp(a, d).length > 0) via.push(half + j)
        }
        return via
      })
      sw.setRoutes(toEdge.map((via, h) => (edgeOf(h) === e ? (ok(`host${h}-edge${e}`) ? [h - e * half] : []) : via)))
    })
    aggs.forEach((sw, a) => sw.setRoutes(perHost((d) => (edgePod(d) === Math.floor(a / half) ? (aggReaches(a, d) ? [d % half] : []) : aggUp(a, d)))))
    cores.forEach((sw, c) => sw.setRoutes(perHost((d) => (coreReaches(c, d) ? [edgePod(d)] : []))))
  }
  w.finish()
  return f
}
