import { FieldReader } from '@aifab/core'
import type { TopologyConfig } from './topology-config.ts'

/**
 * A fault on a cable (both directions of a link), at a time:
 * - `down` from atUs until untilUs (or the end): frames on the wire and in the
 *   ports' queues are lost; routing drops the cable after the detection delay.
 * - `rate`: from atUs the cable runs at rateGbps (a degraded link).
 * - `loss`: from atUs each frame is lost with probability lossRate (its own seeded stream).
 */
export type FaultEvent =
  | { kind: 'down'; link: string; atUs: number; untilUs?: number }
  | { kind: 'rate'; link: string; atUs: number; rateGbps: number }
  | { kind: 'loss'; link: string; atUs: number; lossRate: number }

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
        ri.onlyKeys(o, ['kind', 'link', 'atUs', 'lossRate'])
        return { kind, link, atUs, lossRate: ri.number(o, 'lossRate', { min: 0, max: 1 }) }
    }
  })
}

/**
 * The canonical name of a cable of a leaf-spine (`host3-leaf0`, `leaf0-spine2`),
 * from either end's order or an arrow (`spine2>leaf0`); null if no such cable.
 */
export function cableName(link: string, topo: TopologyConfig): string | null {
  const m = /^\s*([a-z]+)(\d+)\s*[-<>]\s*([a-z]+)(\d+)\s*$/.exec(link)
  if (!m) return null
  let ends = [
    { kind: m[1]!, n: Number(m[2]) },
    { kind: m[3]!, n: Number(m[4]) },
  ]
  const order = ['host', 'leaf', 'spine']
  ends = ends.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
  const [a, b] = ends as [(typeof ends)[0], (typeof ends)[0]]
  const hosts = topo.leaves * topo.hostsPerLeaf
  if (a.kind === 'host' && b.kind === 'leaf') {
    if (a.n >= hosts || Math.floor(a.n / topo.hostsPerLeaf) !== b.n) return null
  } else if (a.kind === 'leaf' && b.kind === 'spine') {
    if (a.n >= topo.leaves || b.n >= topo.spines) return null
  } else {
    return null
  }
  return `${a.kind}${a.n}-${b.kind}${b.n}`
}
