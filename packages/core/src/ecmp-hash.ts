import { mix32 } from './rng.ts'

/**
 * The ECMP hash every switch applies to (src, dst, entropy) with its own seed.
 * Switches hash; NICs choose the entropy (a fixed value per queue pair, like a
 * RoCE UDP source port, or one that varies per packet): this function is the
 * contract between the two. Returns an unsigned 32-bit value.
 */
export function ecmpHash(seed: number, src: number, dst: number, entropy: number): number {
  let h = mix32(seed ^ src)
  h = mix32(h ^ dst)
  return mix32(h ^ entropy)
}
