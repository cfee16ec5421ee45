export const PLACEMENTS = ['packed', 'interleave'] as const
export type Placement = (typeof PLACEMENTS)[number]

/**
 * Rank -> host for `ranks` ranks on `leaves` leaves of `hostsPerLeaf` hosts.
 * `packed`: rank i on host i (neighbours share a leaf). `interleave`: rank i on
 * leaf i mod L, so consecutive ranks sit on different leaves and every ring
 * hop crosses the spine layer.
 */
export function placementOf(kind: Placement, ranks: number, leaves: number, hostsPerLeaf: number): number[] {
  if (ranks > leaves * hostsPerLeaf) throw new RangeError(`${ranks} ranks do not fit on ${leaves * hostsPerLeaf} hosts`)
  if (kind === 'packed') return Array.from({ length: ranks }, (_, r) => r)
  return Array.from({ length: ranks }, (_, r) => (r % leaves) * hostsPerLeaf + Math.floor(r / leaves))
}
