// Simulated time is an integer number of picoseconds held in a JS number:
// exact up to 2^53 ps (about 2.5 simulated hours), and free of float drift.

export const PS_PER_NS = 1_000
export const PS_PER_US = 1_000_000
export const PS_PER_MS = 1_000_000_000
export const PS_PER_S = 1_000_000_000_000

export function psFromNs(ns: number): number {
  return Math.round(ns * PS_PER_NS)
}

export function psFromUs(us: number): number {
  return Math.round(us * PS_PER_US)
}

export function nsFromPs(ps: number): number {
  return ps / PS_PER_NS
}

export function usFromPs(ps: number): number {
  return ps / PS_PER_US
}

export function gbps(g: number): number {
  return g * 1e9
}

/**
 * Time to put `wireBytes` on a link of `rateBps`, rounded up to a whole picosecond
 * so a port never sends faster than its rate. Exact for the common rates
 * (4096 B at 400 Gb/s = 81,920 ps).
 */
export function serializationPs(wireBytes: number, rateBps: number): number {
  return Math.ceil((wireBytes * 8 * PS_PER_S) / rateBps)
}

/** Bits per second achieved by moving `bytes` in `durationPs`. */
export function rateBpsOf(bytes: number, durationPs: number): number {
  return durationPs > 0 ? (bytes * 8 * PS_PER_S) / durationPs : 0
}
