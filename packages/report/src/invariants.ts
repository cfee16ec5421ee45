import type { Fabric } from '@aifab/topology'
import type { ReplayResult, Trace } from '@aifab/workload'
import type { Report } from './report.ts'

/** A broken invariant: which one, the first element that breaks it, and how. */
export interface Violation {
  invariant: string
  element: string
  detail: string
}

/**
 * Report fields where -1 is a sentinel, not a quantity: an op that never
 * started or ended, and in time series no window, no RTT sample yet, no U.
 */
const SENTINEL_FIELDS = new Set(['startPs', 'endPs', 'fctPs', 'windowBytes', 'rttPs', 'u'])

/**
 * Checks, after a run, what must hold whatever the code that computed the
 * figures did: conservation of frames and payload bytes, an empty network and
 * empty reorder windows after a completed run, every op accounted for, no port
 * sending faster than its rate, no busbw beyond what a rank's ports can carry,
 * and no NaN, infinite or negative number in the report. Returns the first
 * violation, or null. Each check is independent of how the report computed
 * the figure it checks (counters are re-read from the fabric).
 */
export function checkInvariants(report: Report, fabric: Fabric, trace: Trace, result: ReplayResult): Violation | null {
  const v = (invariant: string, element: string, detail: string): Violation => ({ invariant, element, detail })
  const c = report.conservation
  if (!c.ok) {
    return v('packet conservation', 'fabric', `injected ${c.framesInjected}, received ${c.framesReceived}, dropped ${c.drops}, in network ${c.inNetwork}, allocated ${c.packetsLive}, switch buffers ${c.switchBufferedBytes} bytes held for ${c.switchQueuedBytes} queued`)
  }

  // Every op completed, or is listed with a reason.
  const unfinished = trace.ops.length - result.completedOps
  if ((report.outcome === 'complete') !== (unfinished === 0)) return v('ops accounted for', 'trace', `outcome ${report.outcome} with ${unfinished} ops unfinished`)
  if (report.incompleteOps.length !== unfinished) return v('ops accounted for', 'trace', `${unfinished} ops unfinished, ${report.incompleteOps.length} listed`)

  if (report.outcome === 'complete') {
    if (c.inNetwork !== 0 || c.packetsLive !== 0) return v('empty network after the run', 'fabric', `${c.inNetwork} frames in queues or on wires, ${c.packetsLive} packets allocated`)
    for (const qp of fabric.qps) {
      if (qp.rcvHeld !== 0 || qp.rcvNxt !== qp.endPsn || qp.sndUna !== qp.endPsn) {
        return v('empty reorder windows after the run', `queue pair ${qp.id} (host ${qp.srcHost} -> ${qp.dstHost}, channel ${qp.channel})`, `${qp.rcvHeld} packets held, placed up to PSN ${qp.rcvNxt}, acknowledged up to ${qp.sndUna}, of ${qp.endPsn}`)
      }
    }
    let expected = -result.skippedBytes
    for (const op of trace.ops) if (op.kind !== 'compute') expected += op.bytes
    let delivered = 0
    for (const n of fabric.nics) delivered += n.deliveredPayloadBytes
    if (delivered !== expected) return v('payload conservation', 'fabric', `${delivered} payload bytes placed at receivers, the trace sends ${expected}`)
  }

  // Over each sampled interval (with --sample-us), and over the whole run: no port faster than its peak rate.
  const x = result.rateExcess
  if (x !== null) return v('link rate', x.port, `sent ${Math.round(x.bits)} bits from ${x.fromPs} to ${x.toPs} ps, at most ${Math.round(x.limitBits)} at its rate`)
  // No port sends faster than the fastest rate it ever had.
  for (const p of fabric.ports) {
    const minPs = (p.txBytes * 8e12) / p.peakRateBps
    if (minPs > result.simEndPs + 1 || p.busyPs > result.simEndPs + 1) {
      return v('link rate', p.name, `sent ${p.txBytes} bytes (${Math.round(minPs)} ps at ${p.peakRateBps / 1e9} Gb/s) and was busy ${p.busyPs} ps in a run of ${result.simEndPs} ps`)
    }
  }

  // busbw: no rank moves more than all its ports can carry (at their peak rates). Not when the
  // topology skipped intra-server messages: those moved bytes in no time, so busbw may exceed any port.
  const busbw = report.summary.busbwGbps
  if (busbw !== null && result.skippedBytes === 0) {
    let capacityBps = Infinity
    for (const h of new Set(result.hostOfRank)) {
      let bps = 0
      for (const p of fabric.nics[h]!.ports) bps += p.peakRateBps
      capacityBps = Math.min(capacityBps, bps)
    }
    if (busbw * 1e9 > capacityBps * (1 + 1e-9)) return v('busbw within egress capacity', 'summary.busbwGbps', `${busbw} Gb/s, above the ${capacityBps / 1e9} Gb/s a rank's ports carry`)
  }

  // Computed figures only: the echoed inputs (topology, profile, CC parameters) may hold negatives a user chose.
  for (const key of COMPUTED_SECTIONS) {
    const bad = firstBadNumber(report[key], `report.${key}`, key)
    if (bad) return bad
  }
  return null
}

/** The parts of a report aifab computed, as opposed to the inputs it echoes. */
const COMPUTED_SECTIONS = ['derived', 'summary', 'jobs', 'model', 'lossBreakdown', 'conservation', 'tiers', 'ports', 'paths', 'faults', 'timeSeries', 'flows'] as const

/** The first NaN, infinite or negative number in a report (-1 is allowed where it means "never"). */
function firstBadNumber(value: unknown, path: string, key: string): Violation | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { invariant: 'finite numbers', element: path, detail: String(value) }
    if (value < 0 && !(value === -1 && SENTINEL_FIELDS.has(key))) return { invariant: 'no negative figures', element: path, detail: String(value) }
    return null
  }
  if (Array.isArray(value)) {
    // Elements of an array are held to the rules of the field that holds it.
    for (let i = 0; i < value.length; i++) {
      const bad = firstBadNumber(value[i], `${path}[${i}]`, key)
      if (bad) return bad
    }
    return null
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, x] of Object.entries(value)) {
      const bad = firstBadNumber(x, `${path}.${k}`, k)
      if (bad) return bad
    }
  }
  return null
}
