import { dataWireBytes } from '@aifab/core'
import type { Fabric } from '@aifab/topology'
import { busBwFactor, type Trace } from '@aifab/workload'

/** What an analytic model predicts for the run, to set beside what emerged. */
export interface CostModel {
  name: string
  /** Per-step latency used (ps): each step's slowest pair, averaged over the steps. */
  alphaPs: number
  /** Per-rank payload rate used (bits/s): line rate x payload / wire bytes. */
  payloadRateBps: number
  completionTimePs: number
  efficiency: number
}

/**
 * Alpha-beta models of the collectives aifab generates (REFERENCE.md), with
 * each step's alpha the path latency of its slowest pair (halving-doubling
 * partners at some distances share a leaf) and B the line rate on payload bytes:
 * - ring all-reduce: 2(N-1) alpha + 2(N-1)/N x S/B
 * - halving-doubling all-reduce: 2 sum over distances d of alpha_d + 2(N-1)/N x S/B
 * - ring all-gather / reduce-scatter: (N-1) alpha + (N-1)/N x S/B
 * - ring all-reduce pipelined in P pieces per step (K = 2(N-1) steps of m
 *   bytes, pieces of c = m/P): piece p of a step leaves once piece p of the
 *   step before has arrived (alpha + c/B after it left) and the link is free,
 *   so steps follow each other every max(m/B, alpha + c/B), and the last one
 *   ends alpha + m/B after it starts: (K-1) max(m/B, alpha + c/B) + alpha + m/B.
 *   With P = 1 this is the unpipelined K (alpha + m/B).
 * Null for other traces.
 */
export function collectiveModel(trace: Trace, fabric: Fabric, hostOfRank: number[]): CostModel | null {
  const c = trace.collective
  if (!c) return null
  const n = trace.ranks
  const alphaOver = (pairs: [number, number][]) => pairs.reduce((m, [a, b]) => Math.max(m, fabric.alphaPs(hostOfRank[a]!, hostOfRank[b]!)), 0)
  const ring = () => alphaOver(Array.from({ length: n }, (_, r): [number, number] => [r, (r + 1) % n]))
  let name: string
  let steps: number
  let latencyPs: number
  if (c.kind === 'allreduce' && c.algorithm === 'ring') {
    name = 'alpha-beta ring all-reduce'
    steps = 2 * (n - 1)
    latencyPs = steps * ring()
  } else if (c.kind === 'allreduce' && c.algorithm === 'halving-doubling') {
    name = 'alpha-beta halving-doubling all-reduce'
    steps = 2 * Math.log2(n)
    latencyPs = 0
    for (let d = 1; d < n; d *= 2) latencyPs += 2 * alphaOver(Array.from({ length: n }, (_, r): [number, number] => [r, r ^ d]))
  } else if ((c.kind === 'allgather' || c.kind === 'reducescatter') && c.algorithm === 'ring') {
    name = `alpha-beta ring ${c.kind}`
    steps = n - 1
    latencyPs = steps * ring()
  } else {
    return null
  }
  const alphaPs = latencyPs / steps
  const mtu = fabric.mtuBytes
  const payloadRateBps = (fabric.lineRateBps * mtu) / dataWireBytes(mtu, false)
  const perRankBytes = busBwFactor(c.kind, n) * c.bytes
  let completionTimePs = latencyPs + ((perRankBytes * 8) / payloadRateBps) * 1e12
  if (c.kind === 'allreduce' && c.algorithm === 'ring' && c.chunkBytes !== undefined) {
    name = 'pipelined ring all-reduce'
    const stepPs = ((perRankBytes / steps) * 8 * 1e12) / payloadRateBps
    // Pieces per message as the generator cuts them: the largest message of a channel over the chunk.
    const channels = 1 + trace.ops.reduce((m, op) => Math.max(m, op.channel ?? 0), 0)
    const pieces = Math.ceil(Math.ceil(Math.ceil(c.bytes / channels) / n) / c.chunkBytes)
    completionTimePs = (steps - 1) * Math.max(stepPs, alphaPs + stepPs / (channels * pieces)) + alphaPs + stepPs
  }
  const busbwBps = ((c.bytes * 8) / (completionTimePs / 1e12)) * busBwFactor(c.kind, n)
  return { name, alphaPs, payloadRateBps, completionTimePs, efficiency: busbwBps / fabric.lineRateBps }
}
