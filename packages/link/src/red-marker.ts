import type { Rng } from '@aifab/core'

/** RED ECN marking thresholds on the egress queue, in bytes (REFERENCE.md, DCQCN). */
export interface EcnConfig {
  kminBytes: number
  kmaxBytes: number
  /** Marking probability reached at Kmax; above Kmax every packet is marked. */
  pmax: number
}

/**
 * Decides whether a packet joining a queue of `queuedBytes` is CE-marked:
 * never below Kmin, always above Kmax, linearly up to Pmax in between.
 */
export class RedMarker {
  constructor(
    private readonly cfg: EcnConfig,
    private readonly rng: Rng,
  ) {}

  shouldMark(queuedBytes: number): boolean {
    const { kminBytes, kmaxBytes, pmax } = this.cfg
    if (queuedBytes <= kminBytes) return false
    if (queuedBytes > kmaxBytes) return true
    const p = (pmax * (queuedBytes - kminBytes)) / (kmaxBytes - kminBytes)
    return this.rng.nextFloat() < p
  }
}
