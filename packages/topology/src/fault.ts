import { FieldReader } from '@aifab/core'
import { railGroupServers, railPlanes, type RailConfig, type TopologyConfig } from './topology-config.ts'

/**
 * A fault on a cable (both directions of a link), at a time:
 * - `down` from atUs until untilUs (or the end): frames on the wire and in the
 *   ports' queues are lost; routing drops the cable after the detection delay.
 * - `rate`: from atUs the cable runs at rateGbps (a degraded link).
 * - `loss`: from atUs each frame is lost with probability lossRate (its own seeded
 *   stream per direction); with `towards` (one end of the cable, e.g. `host1`)
 *   only frames heading to that end, e.g. data but not its ACKs.
 */
export type FaultEvent =
  | { kind: 'down'; link: string; atUs: number; untilUs?: number }
  | { kind: 'rate'; link: string; atUs: number; rateGbps: number }
  | { kind: 'loss'; link: string; atUs: number; lossRate: number; towards?: string }

export const FAULT_KINDS = ['down', 'rate', 'loss'] as const

export function parseFaults(v: unknown, r: FieldReader): FaultEvent[] {
  if (!Array.isArray(v)) r.fail('expected an array of faults')
  return v.map((x, i) => {
    const ri = r.at(i)
    const o = ri.object(x)
    const kind = ri.oneOf(o, 'kind', FAULT_KINDS)
    const link = ri.string(o, 'link')
    const atUs = ri.number(o, 'atUs', { min: 0, max: 1e9 })
    switch (kind) {
      case 'down': {
        ri.onlyKeys(o, ['kind', 'link', 'atUs', 'untilUs'])
        const untilUs = ri.number(o, 'untilUs', { min: 0, max: 1e9, optional: true })
        if (untilUs !== undefined && untilUs <= atUs) ri.fail(`expected a time after atUs (${atUs}), got ${untilUs}`, 'untilUs')
        return untilUs === undefined ? { kind, link, atUs } : { kind, link, atUs, untilUs }
      }
      case 'rate':
        ri.onlyKeys(o, ['kind', 'link', 'atUs', 'rateGbps'])
        return { kind, link, atUs, rateGbps: ri.number(o, 'rateGbps', { min: 0.001, max: 1e5 }) }
      case 'loss':
        ri.onlyKeys(o, ['kind', 'link', 'atUs', 'lossRate', 'towards'])
        const lossRate = ri.number(o, 'lossRate', { min: 0, max: 1 })
        const towards = ri.string(o, 'towards', true)
        return towards === undefined ? { kind, link, atUs, lossRate } : { kind, link, atUs, lossRate, towards }
    }
  })
}

/**
 * The canonical name of a cable (`host3-leaf0`, `leaf0-spine2`; in a fat tree
 * `host3-edge1`, `edge1-agg0`, `agg0-core2`; in a rail cluster `host3-rail3`,
 * `rail3-spine0`, `host3-nvs0`), from either end's order or an arrow
 * (`spine2>leaf0`); null if the topology has no such cable.
 */
export function cableName(link: string, topo: TopologyConfig): string | null {
  const m = /^\s*([a-z]+)(\d+)\s*[-<>]\s*([a-z]+)(\d+)\s*$/.exec(link)
  if (!m) return null
  if (topo.kind === 'rail') return railCable(topo, m[1]!, Number(m[2]), m[3]!, Number(m[4]))
  const order = topo.kind === 'leaf-spine' ? ['host', 'leaf', 'spine'] : ['host', 'edge', 'agg', 'core']
  const ends = [
    { kind: m[1]!, n: Number(m[2]) },
    { kind: m[3]!, n: Number(m[4]) },
  ].sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind))
  const [a, b] = ends as [(typeof ends)[0], (typeof ends)[0]]
  if (order.indexOf(a.kind) < 0 || order.indexOf(b.kind) !== order.indexOf(a.kind) + 1) return null
  const ok = topo.kind === 'leaf-spine' ? leafSpineCable(topo, a.kind, a.n, b.n) : fatTreeCable(topo.k, a.kind, a.n, b.n)
  return ok ? `${a.kind}${a.n}-${b.kind}${b.n}` : null
}

function leafSpineCable(t: { leaves: number; spines: number; hostsPerLeaf: number }, lower: string, a: number, b: number): boolean {
  if (lower === 'host') return a < t.leaves * t.hostsPerLeaf && Math.floor(a / t.hostsPerLeaf) === b
  return a < t.leaves && b < t.spines
}

function fatTreeCable(k: number, lower: string, a: number, b: number): boolean {
  const half = k / 2
  const perTier = k * half
  if (lower === 'host') return a < (k * k * k) / 4 && Math.floor(a / half) === b
  if (lower === 'edge') return a < perTier && b < perTier && Math.floor(a / half) === Math.floor(b / half)
  return a < perTier && b < half * half && Math.floor(b / half) === a % half
}

function railCable(t: RailConfig, k1: string, n1: number, k2: string, n2: number): string | null {
  const order = ['host', 'nvs', 'rail', 'spine']
  const [a, b] = [
    { kind: k1, n: n1 },
    { kind: k2, n: n2 },
  ].sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind)) as [{ kind: string; n: number }, { kind: string; n: number }]
  const G = t.gpusPerServer
  const U = railGroupServers(t)
  const R = (t.servers / U) * G
  const P = railPlanes(t)
  const hosts = t.servers * G
  let ok = false
  if (a.kind === 'host' && b.kind === 'nvs') ok = t.nvlinkGbps !== undefined && a.n < hosts && Math.floor(a.n / G) === b.n
  else if (a.kind === 'host' && b.kind === 'rail') ok = a.n < hosts && b.n < P * R && b.n % R === Math.floor(Math.floor(a.n / G) / U) * G + (a.n % G)
  else if (a.kind === 'rail' && b.kind === 'spine') ok = a.n < P * R && b.n < P * t.spines && Math.floor(a.n / R) === Math.floor(b.n / t.spines)
  return ok ? `${a.kind}${a.n}-${b.kind}${b.n}` : null
}
