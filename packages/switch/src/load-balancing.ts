/**
 * How a switch picks one of several equal-cost egress ports.
 * - `ecmp`: hash of (src, dst, entropy) with a per-switch seed: a flow keeps one
 *   path unless its NIC varies the entropy (see the NIC's entropy policy).
 * - `spray`: per packet, uniformly at random or round-robin per destination.
 * - `adaptive`: per packet, the candidate with the fewest backlogged bytes (ties
 *   at random); with a threshold, a flow stays on its port until another one's
 *   backlog is smaller by more than the threshold, to limit reordering.
 * - `flowlet`: a flow keeps its port until it pauses longer than the flowlet
 *   gap; then it is re-picked by a fresh hash or by least backlog.
 */
export const LOAD_BALANCING_MODES = ['ecmp', 'spray', 'adaptive', 'flowlet'] as const
export type LoadBalancing = (typeof LOAD_BALANCING_MODES)[number]

export const SPRAY_ORDERS = ['random', 'round-robin'] as const
export const FLOWLET_PICKS = ['hash', 'least-loaded'] as const

export interface LoadBalancingConfig {
  mode: LoadBalancing
  sprayOrder: (typeof SPRAY_ORDERS)[number]
  /** adaptive: 0 = pure per-packet least backlog; above 0 = sticky with this hysteresis. */
  adaptiveThresholdBytes: number
  flowletGapPs: number
  flowletPick: (typeof FLOWLET_PICKS)[number]
}
