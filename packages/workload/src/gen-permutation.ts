import { Rng } from '@aifab/core'
import type { Trace } from './trace.ts'

export interface PermutationOptions {
  ranks: number
  bytes: number
  seed: number
  placement?: number[]
  name?: string
}

/**
 * Every rank sends `bytes` to one other rank and receives from one: a uniformly
 * random derangement (a shuffle, redrawn until no rank maps to itself), all
 * flows starting at time 0.
 */
export function genPermutation(o: PermutationOptions): Trace {
  const n = o.ranks
  if (n < 2) throw new RangeError('a permutation needs at least 2 ranks')
  const rng = new Rng(o.seed >>> 0, 0x9e12)
  const dst = Array.from({ length: n }, (_, i) => i)
  for (;;) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1)
      const t = dst[i]!
      dst[i] = dst[j]!
      dst[j] = t
    }
    if (dst.every((d, i) => d !== i)) break
  }
  const trace: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: o.name ?? `permutation-${n}r-${o.bytes}B-seed${o.seed}`,
    ranks: n,
    ops: dst.map((d, r) => ({ id: r, src: r, dst: d, bytes: o.bytes, deps: [] })),
  }
  if (o.placement) trace.placement = o.placement
  return trace
}
