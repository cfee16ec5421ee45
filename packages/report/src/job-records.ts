import { rateBpsOf } from '@aifab/core'
import { busBwFactor, type ReplayResult, type Trace } from '@aifab/workload'

/** One job of a mixed trace: its own span, bytes and (for a collective) bus bandwidth. */
export interface JobRecord {
  name: string
  ops: number
  /** First op posted to last op completed; null while any op of the job is unfinished. */
  completionTimePs: number | null
  startPs: number
  endPs: number
  payloadBytes: number
  algbwGbps: number | null
  busbwGbps: number | null
  /** Mean over the job's finished flows of (bytes / line rate) / FCT. */
  goodputMeanFraction: number
}

/** Per-job figures of a trace with a `jobs` list (empty otherwise). */
export function jobRecords(trace: Trace, result: ReplayResult, lineRateBps: number): JobRecord[] {
  if (!trace.jobs) return []
  const recs = trace.jobs.map((j) => ({ name: j.name, ops: 0, done: 0, startPs: Infinity, endPs: 0, payloadBytes: 0, goodputSum: 0, flows: 0 }))
  trace.ops.forEach((op, i) => {
    const r = recs[op.job!]!
    const startPs = result.opStartPs[i]!
    const endPs = result.opEndPs[i]!
    r.ops++
    if (startPs >= 0) r.startPs = Math.min(r.startPs, startPs)
    if (endPs < 0) return
    r.done++
    r.endPs = Math.max(r.endPs, endPs)
    if (op.kind === 'compute' || endPs <= startPs) return
    r.payloadBytes += op.bytes
    r.flows++
    r.goodputSum += (op.bytes * 8e12) / lineRateBps / (endPs - startPs)
  })
  return recs.map((r, j) => {
    const info = trace.jobs![j]!
    const complete = r.ops > 0 && r.done === r.ops
    const spanPs = complete ? r.endPs - r.startPs : null
    const algbwGbps = info.collective && spanPs ? rateBpsOf(info.collective.bytes, spanPs) / 1e9 : null
    return {
      name: r.name,
      ops: r.ops,
      completionTimePs: spanPs,
      startPs: r.startPs === Infinity ? -1 : r.startPs,
      endPs: r.endPs,
      payloadBytes: r.payloadBytes,
      algbwGbps,
      busbwGbps: algbwGbps !== null && info.collective && info.ranks ? algbwGbps * busBwFactor(info.collective.kind, info.ranks) : null,
      goodputMeanFraction: r.flows ? r.goodputSum / r.flows : 0,
    }
  })
}
