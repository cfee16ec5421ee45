import type { Fabric } from '@aifab/topology'
import type { ReplayResult, Trace } from '@aifab/workload'
import type { CostModel } from './cost-model.ts'

/**
 * Where the sending hosts' link capacity went, as shares of (ports' rate x
 * completion time), averaged over the hosts that send. The shares add up to 1
 * by construction of `waiting`, the rest; every other share is read from
 * counters: payload (for a collective this is the efficiency), headers of
 * first transmissions, retransmitted frames, ACK / NAK / CNP frames, time the
 * port was paused by PFC, the latency the cost model charges per step (alpha),
 * and waiting (for data from the fabric: queueing, collisions, imbalance,
 * congestion-control pacing).
 */
export interface LossBreakdown {
  hosts: number
  payload: number
  headers: number
  retransmissions: number
  acks: number
  pfcPaused: number
  latency: number
  waiting: number
}

export function lossBreakdown(trace: Trace, fabric: Fabric, result: ReplayResult, spanPs: number, model: CostModel | null): LossBreakdown | null {
  if (spanPs <= 0) return null
  const payload = new Map<number, number>()
  for (const op of trace.ops) {
    if (op.kind === 'compute') continue
    const src = result.hostOfRank[op.src]!
    if (fabric.skips(src, result.hostOfRank[op.dst]!)) continue
    payload.set(src, (payload.get(src) ?? 0) + op.bytes)
  }
  if (payload.size === 0) return null
  // The model's per-step latency, as a share of the run: each step waits alpha before its data arrives.
  const latency = model === null ? 0 : Math.min(1, model.latencyPs / spanPs)
  const sum = { payload: 0, headers: 0, retransmissions: 0, acks: 0, pfcPaused: 0, latency: 0, waiting: 0 }
  for (const [h, bytes] of payload) {
    let capacityBits = 0
    let txBits = 0
    let retxBits = 0
    let ctrlBits = 0
    let pausedBits = 0
    for (const p of fabric.nics[h]!.ports) {
      capacityBits += (p.peakRateBps * spanPs) / 1e12
      txBits += p.txBytes * 8
      retxBits += p.txRetxBytes * 8
      ctrlBits += p.txCtrlBytes * 8
      pausedBits += (p.peakRateBps * p.pausedPsAt(fabric.sched.nowPs)) / 1e12
    }
    const payloadBits = bytes * 8
    const share = (bits: number) => Math.max(0, bits) / capacityBits
    const idle = Math.max(0, 1 - share(txBits) - share(pausedBits))
    const lat = Math.min(idle, latency)
    sum.payload += share(payloadBits)
    sum.headers += share(txBits - retxBits - ctrlBits - payloadBits)
    sum.retransmissions += share(retxBits)
    sum.acks += share(ctrlBits)
    sum.pfcPaused += share(pausedBits)
    sum.latency += lat
    sum.waiting += idle - lat
  }
  const n = payload.size
  return {
    hosts: n,
    payload: sum.payload / n,
    headers: sum.headers / n,
    retransmissions: sum.retransmissions / n,
    acks: sum.acks / n,
    pfcPaused: sum.pfcPaused / n,
    latency: sum.latency / n,
    waiting: sum.waiting / n,
  }
}
