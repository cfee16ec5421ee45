/**
 * How a switch picks one of several equal-cost egress ports.
 * - `ecmp`: hash of (src, dst, entropy) with a per-switch seed: a flow keeps one path.
 * - `spray`: per packet, uniformly at random.
 * - `adaptive`: per packet, the candidate with the fewest backlogged bytes; ties at random.
 */
export const LOAD_BALANCING_MODES = ['ecmp', 'spray', 'adaptive'] as const
export type LoadBalancing = (typeof LOAD_BALANCING_MODES)[number]
