import { readFileSync } from 'node:fs'
import { buildFabric, parseProfile, parseTopology, type Fabric, type FabricProfile, type LeafSpineConfig, type TopologyConfig } from '@aifab/topology'
import { replay, type Trace } from '@aifab/workload'
import { buildReport, checkInvariants, type Report } from '@aifab/report'

const root = new URL('../../', import.meta.url)

/** A shipped profile, with fields replaced (e.g. `{ switch: { loadBalancing: 'spray' } }`). */
export function profile(
  name: 'roce' | 'ai-ethernet',
  patch: { switch?: Partial<FabricProfile['switch']>; nic?: Partial<FabricProfile['nic']> } = {},
): FabricProfile {
  const p = parseProfile(JSON.parse(readFileSync(new URL(`configs/profiles/${name}.json`, root), 'utf8')), name)
  return { ...p, name: `${name}*`, switch: { ...p.switch, ...patch.switch }, nic: { ...p.nic, ...patch.nic } }
}

/** The flagship 8x8x8 400G leaf-spine, with fields replaced. */
export function leafSpine(patch: Partial<LeafSpineConfig> = {}): LeafSpineConfig {
  const t = parseTopology(JSON.parse(readFileSync(new URL('configs/topologies/leaf-spine-8x8x8-400g.json', root), 'utf8')), 'topo') as LeafSpineConfig
  return { ...t, ...patch }
}

export function flowsTrace(flows: [number, number][], bytes: number, ranks: number): Trace {
  return {
    format: 'aifab.trace',
    version: 1,
    name: 'flows',
    ranks,
    ops: flows.map(([src, dst], id) => ({ id, src, dst, bytes, deps: [] })),
  }
}

/** Runs a trace and returns the report plus the fabric, for tests that look inside. */
export function simulate(trace: Trace, topo: TopologyConfig, prof: FabricProfile, seed: number): { report: Report; fabric: Fabric } {
  const fabric = buildFabric(topo, prof, seed)
  const result = replay(fabric, trace, 'test')
  const report = buildReport({ trace, traceFile: 'test', fabric, result })
  // Every scenario run is held to the invariants the CLI checks.
  const v = checkInvariants(report, fabric, trace, result)
  if (v !== null) throw new Error(`invariant violated: ${v.invariant}: ${v.element}: ${v.detail}`)
  return { report, fabric }
}
