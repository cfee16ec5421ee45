import { Rng } from '@aifab/core'

export const PLACEMENTS = ['packed', 'interleave', 'random'] as const
export type Placement = (typeof PLACEMENTS)[number]

/**
 * Rank -> host for `ranks` ranks on `leaves` leaves (first-level switches) of
 * `hostsPerLeaf` hosts. `packed`: rank i on host i (neighbours share a leaf).
 * `interleave`: rank i on leaf i mod L, so consecutive ranks sit on different
 * leaves and every ring hop crosses the layer above. `random`: a uniformly
 * random choice of hosts in random order, from `seed`.
 */
export function placementOf(kind: Placement, ranks: number, leaves: number, hostsPerLeaf: number, seed = 1): number[] {
  const hosts = leaves * hostsPerLeaf
  if (ranks > hosts) throw new RangeError(`${ranks} ranks do not fit on ${hosts} hosts`)
  if (kind === 'packed') return Array.from({ length: ranks }, (_, r) => r)
  if (kind === 'interleave') return Array.from({ length: ranks }, (_, r) => (r % leaves) * hostsPerLeaf + Math.floor(r / leaves))
  // Fisher-Yates over all hosts; the first `ranks` are the placement.
  const rng = new Rng(seed >>> 0, 0x91ace)
  const all = Array.from({ length: hosts }, (_, h) => h)
  for (let i = hosts - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1)
    const t = all[i]!
    all[i] = all[j]!
    all[j] = t
  }
  return all.slice(0, ranks)
}

/** An explicit placement, `0,8,16,...`: one distinct host per rank. */
export function parsePlacementList(text: string, ranks: number, hosts: number): number[] {
  const parts = text.split(',').map((s) => s.trim())
  if (parts.length !== ranks) throw new RangeError(`the placement lists ${parts.length} hosts for ${ranks} ranks`)
  const seen = new Set<number>()
  return parts.map((p, r) => {
    const h = Number(p)
    if (!/^\d+$/.test(p) || h >= hosts) throw new RangeError(`rank ${r}: expected a host in 0..${hosts - 1}, got ${JSON.stringify(p)}`)
    if (seen.has(h)) throw new RangeError(`rank ${r}: host ${h} already holds another rank`)
    seen.add(h)
    return h
  })
}
