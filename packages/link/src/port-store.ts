import { ByteHistogramSet, grown } from '@aifab/core'

/** Columns of a port's row in PortStore.f64. */
export const PortCol = {
  TX_BYTES: 0,
  TX_DATA_PAYLOAD_BYTES: 1,
  TX_RETX_BYTES: 2,
  TX_CTRL_BYTES: 3,
  BUSY_PS: 4,
  TX_START_PS: 5,
  TX_RATE_BPS: 6,
  RATE_BPS: 7,
} as const
/** One 64-byte cache line per port. */
const ROW = 8

/**
 * The per-hop numbers of every egress port of a fabric, in one place. A
 * port's byte counters, times and rates outgrow small integers, and V8 keeps
 * such fields of an object as separate heap numbers: a hop through a port
 * read and wrote half a dozen of them, each a cache miss of its own on a
 * fabric of thousands of ports. Here they are one row of a Float64Array, and
 * the queue-depth histograms one row each of a ByteHistogramSet.
 */
export class PortStore {
  f64 = new Float64Array(ROW * 64)
  readonly queueDepths = new ByteHistogramSet()
  private ports = 0

  /** A row for a new port; returns its first index into f64. */
  addPort(): number {
    if ((this.ports + 1) * ROW > this.f64.length) this.f64 = grown(this.f64, this.f64.length * 2)
    return this.ports++ * ROW
  }
}
