import { ACK_WIRE_BYTES, dataWireBytes } from '@aifab/core'
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
  /** What the model charges beyond moving each rank's bytes at B: latency (and pipeline fill). */
  latencyPs: number
  /** Where the model is a band (the double binary tree), its upper edge; completionTimePs is the lower. */
  completionTimeHighPs?: number
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
 * - double binary tree all-reduce (gen-double-binary-tree.ts), each tree's
 *   half of S in P pieces of c = S/(2P): every rank is inner (two children)
 *   in one tree and a leaf in the other, so per piece index its link carries
 *   4c each way (inner: c up, 2c down; leaf: c up; in: 2c, c, c): once the
 *   pipeline is full a piece index passes every tau = 4c/B, the bandwidth
 *   term (P-1) tau. The last piece then still climbs D = floor(log2 N) levels
 *   and comes back down: 2D hops of alpha plus one serialization of c where
 *   the hop has the link to itself, two where it shares it (two children into
 *   one parent, one parent to two children), so the model is the band
 *   (P-1) tau + 2D (alpha + c/B) .. (P-1) tau + 2D (alpha + 2c/B), whose width
 *   2D c/B shrinks with the piece. Its floor is 2S/B as P grows: the 4c per
 *   piece index is the whole 2S a rank moves. Every link, loaded alike both
 *   ways, also carries the ACKs of the data coming the other way (one per
 *   ackEveryPackets packets, 0.5% with the shipped profiles), yet the climb of
 *   the first pieces overlaps the leaves' sending: the lower edge leaves the
 *   ACKs out, the upper edge counts them at B = payload rate less the ACKs.
 * Null for other traces.
 */
export function collectiveModel(trace: Trace, fabric: Fabric, hostOfRank: number[]): CostModel | null {
  const c = trace.collective
  if (!c) return null
  const n = trace.ranks
  // Pairs the topology does not simulate (intra-server, skipped) take no time. A step made only of
  // them costs nothing, which the bandwidth term below cannot express: no model then.
  const skipped = (a: number, b: number) => fabric.skips(hostOfRank[a]!, hostOfRank[b]!)
  let allSkipped = false
  const alphaOver = (pairs: [number, number][]) => {
    if (pairs.every(([a, b]) => skipped(a, b))) allSkipped = true
    return pairs.reduce((m, [a, b]) => (skipped(a, b) ? m : Math.max(m, fabric.alphaPs(hostOfRank[a]!, hostOfRank[b]!))), 0)
  }
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
  } else if (c.kind === 'allreduce' && c.algorithm === 'double-binary-tree') {
    return treeModel(trace, fabric, hostOfRank)
  } else if ((c.kind === 'allgather' || c.kind === 'reducescatter') && c.algorithm === 'ring') {
    name = `alpha-beta ring ${c.kind}`
    steps = n - 1
    latencyPs = steps * ring()
  } else {
    return null
  }
  if (allSkipped) return null
  const alphaPs = latencyPs / steps
  const payloadRateBps = payloadRateOf(fabric)
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
  const latency = Math.max(0, completionTimePs - ((perRankBytes * 8) / payloadRateBps) * 1e12)
  return { name, alphaPs, payloadRateBps, completionTimePs, latencyPs: latency, efficiency: busbwBps / fabric.lineRateBps }
}

function payloadRateOf(fabric: Fabric): number {
  const mtu = fabric.mtuBytes
  return (fabric.lineRateBps * mtu) / dataWireBytes(mtu, false)
}

/** The double binary tree band (see collectiveModel); alpha is the slowest parent-child pair of either tree. */
function treeModel(trace: Trace, fabric: Fabric, hostOfRank: number[]): CostModel {
  const c = trace.collective!
  const n = trace.ranks
  let alphaPs = 0
  for (let i = 1; i < n; i++) {
    const p = (i - 1) >> 1
    alphaPs = Math.max(alphaPs, fabric.alphaPs(hostOfRank[i]!, hostOfRank[p]!), fabric.alphaPs(hostOfRank[n - 1 - i]!, hostOfRank[n - 1 - p]!))
  }
  const half = Math.ceil(c.bytes / 2)
  const pieces = c.chunkBytes === undefined ? 1 : Math.ceil(half / c.chunkBytes)
  const mtu = fabric.mtuBytes
  const rate = payloadRateOf(fabric)
  const withAcksRate = (fabric.lineRateBps * mtu) / (dataWireBytes(mtu, false) + ACK_WIRE_BYTES / fabric.profile.nic.ackEveryPackets)
  const depth = Math.floor(Math.log2(n))
  const band = (rateBps: number, serializations: number) => {
    const piecePs = ((half / pieces) * 8 * 1e12) / rateBps
    return (pieces - 1) * 4 * piecePs + 2 * depth * (alphaPs + serializations * piecePs)
  }
  const completionTimePs = band(rate, 1)
  const busbwBps = ((c.bytes * 8) / (completionTimePs / 1e12)) * busBwFactor(c.kind, n)
  return {
    name: 'pipelined double binary tree all-reduce (band)',
    alphaPs,
    payloadRateBps: rate,
    completionTimePs,
    latencyPs: Math.max(0, completionTimePs - ((busBwFactor(c.kind, n) * c.bytes * 8) / rate) * 1e12),
    completionTimeHighPs: band(withAcksRate, 2),
    efficiency: busbwBps / fabric.lineRateBps,
  }
}
