import { grown } from '@aifab/core'

/** Entries a link's ring starts with: four (time, packet) pairs, one 64-byte cache line. */
export const FIRST_RING_CAPACITY = 4

/**
 * The rings of every link of a fabric in one Float64Array: a link's frames on
 * the wire are (arrival time, packet) pairs in a power-of-two segment, so a
 * hop reads one cache line, not a ring object and its arrays (a miss each on
 * a fabric of thousands of links). A ring that fills moves to a segment twice
 * its size at the end; the old one is left unused, which at most doubles the
 * space rings take.
 */
export class LinkStore {
  f64 = new Float64Array(2 * FIRST_RING_CAPACITY * 64)
  private used = 0

  /** A segment for `capacity` entries (a power of two); returns its first index into f64. */
  allocRing(capacity = FIRST_RING_CAPACITY): number {
    const need = 2 * capacity
    if (this.used + need > this.f64.length) {
      let size = this.f64.length * 2
      while (this.used + need > size) size *= 2
      this.f64 = grown(this.f64, size)
    }
    const base = this.used
    this.used += need
    return base
  }
}
