import { dataWireBytes } from '@aifab/core'
import type { Fabric } from '@aifab/topology'
import { busBwFactor, type Trace } from '@aifab/workload'

/** What an analytic model predicts for the run, to set beside what emerged. */
export interface CostModel {
  name: string
  /** Per-message latency used (ps). */
  alphaPs: number
  /** Per-rank payload rate used (bits/s): line rate x payload / wire bytes. */
  payloadRateBps: number
  completionTimePs: number
  efficiency: number
}

/**
 * Alpha-beta model of a ring all-reduce (REFERENCE.md):
 * t = 2(N-1) alpha + 2(N-1)/N x S/B, with alpha the slowest ring hop's path
 * latency and B the line rate on payload bytes. Null for other traces.
 */
export function ringAllreduceModel(trace: Trace, fabric: Fabric, hostOfRank: number[]): CostModel | null {
  const c = trace.collective
  if (!c || c.kind !== 'allreduce' || c.algorithm !== 'ring') return null
  const n = trace.ranks
  let alphaPs = 0
  for (let r = 0; r < n; r++) alphaPs = Math.max(alphaPs, fabric.alphaPs(hostOfRank[r]!, hostOfRank[(r + 1) % n]!))
  const mtu = fabric.mtuBytes
  const payloadRateBps = (fabric.lineRateBps * mtu) / dataWireBytes(mtu, false)
  const completionTimePs = 2 * (n - 1) * alphaPs + ((((2 * (n - 1)) / n) * c.bytes * 8) / payloadRateBps) * 1e12
  const busbwBps = ((c.bytes * 8) / (completionTimePs / 1e12)) * busBwFactor('allreduce', n)
  return { name: 'alpha-beta ring all-reduce', alphaPs, payloadRateBps, completionTimePs, efficiency: busbwBps / fabric.lineRateBps }
}
