import { createHash } from 'node:crypto'
import { ByteHistogram, dataWireBytes, rateBpsOf } from '@aifab/core'
import type { EgressPort } from '@aifab/link'
import { PORT_TIERS, type Fabric, type FabricProfile, type FaultRecord, type PortTier, type TopologyConfig } from '@aifab/topology'
import { busBwFactor, type CollectiveInfo, type ReplayOutcome, type ReplayResult, type TimeSeries, type Trace } from '@aifab/workload'
import { collectiveModel, type CostModel } from './cost-model.ts'
import { jobRecords, type JobRecord } from './job-records.ts'
import { lossBreakdown, type LossBreakdown } from './loss-breakdown.ts'

export const REPORT_FORMAT = 'aifab.report'
export const REPORT_VERSION = 2

export interface FlowRecord {
  id: number
  src: number
  dst: number
  srcHost: number
  dstHost: number
  bytes: number
  /** The queue pair channel the flow used (0 unless the trace gives one). */
  channel: number
  startPs: number
  endPs: number
  fctPs: number
  /** The flow alone on an idle fabric: its path latency plus its wire bytes at line rate. */
  idealFctPs: number
}

export interface PortRecord {
  name: string
  tier: PortTier
  txBytes: number
  utilization: number
  maxQueueBytes: number
  queueP99Bytes: number
  drops: number
  ecnMarks: number
  trims: number
  pausesReceived: number
  pausedPs: number
}

export interface TierRecord {
  tier: PortTier
  ports: number
  /** Mean over the tier's ports of busy time / completion time. */
  utilizationMean: number
  utilizationMax: number
  /** max / mean utilization (1 = perfectly even). */
  imbalance: number
  maxQueueBytes: number
  /** Queue depth data packets found on arrival, over the tier's ports (4 KiB resolution). */
  queueP50Bytes: number
  queueP99Bytes: number
  drops: number
  ecnMarks: number
  /** PFC: time the tier's ports spent paused, summed and at the most paused port. */
  pausedPsTotal: number
  pausedPsMax: number
}

/** Time, bandwidth and efficiency are null when not every op completed: a partial run has no completion time. */
export interface Summary {
  /** From the first op's start to the last op's completion. */
  completionTimePs: number | null
  algbwGbps: number | null
  busbwGbps: number | null
  /** busbw / host line rate on payload bytes (collective); mean flow goodput / line rate otherwise. */
  efficiency: number | null
  /** The same on wire bytes: payload plus the headers every packet must carry. */
  efficiencyWire: number | null
  /** Over the flows that completed: mean of (bytes / line rate) / FCT, and the same with the largest FCT. */
  goodputMeanFraction: number
  goodputJobFraction: number
  /** Flow completion times of the flows that completed (ps), and their slowdown: FCT / the flow alone on the idle fabric. */
  fct: { flows: number; meanPs: number; p50Ps: number; p99Ps: number; maxPs: number; slowdownMean: number; slowdownP99: number } | null
  payloadBytes: number
  /** Bytes NICs put on the wire: data (with headers and retransmissions) and ACK/NAK frames. */
  wireBytes: number
  drops: number
  /** Data packets cut to their headers by full queues (trimming) instead of dropped. */
  trims: number
  /** Frames lost on links (random loss, failed links) and at switches left with no route to their destination. */
  lostOnLinks: number
  unroutable: number
  retransmittedPackets: number
  timeouts: number
  failedQueuePairs: number
  naksSent: number
  /** Congestion notification packets (DCQCN) receivers sent. */
  cnpsSent: number
  rxDiscards: number
  ecnMarks: number
  pfcPauses: number
  /** Sum over ports of the time their data class was paused by PFC. */
  pfcPausedPs: number
  /** Data frames refused over XOFF + headroom: each dropped, or trimmed where trimming is on. */
  pfcHeadroomOverflows: number
  pfcHeadroomOverflowBytes: number
  /** Frames refused because a switch's whole buffer was full. */
  bufferFullRefusals: number
  /** Bytes of messages the topology does not simulate (intra-server without NVLink): they completed at once. */
  skippedBytes: number
  reorderWindowPeak: number
  /** Packets placed out of order, by distance ahead of the next expected PSN: [from, to] packets (to null: no bound) and count, empty buckets left out. */
  reorderDistance: { fromPackets: number; toPackets: number | null; packets: number }[]
  packetHops: number
  events: number
}

export interface Report {
  format: typeof REPORT_FORMAT
  version: typeof REPORT_VERSION
  seed: number
  outcome: ReplayOutcome
  /** Why a run stopped early with a broken congestion controller; null otherwise. */
  error: string | null
  trace: { name: string; file: string; sha256: string; ranks: number; ops: number; collective: CollectiveInfo | null }
  topology: TopologyConfig
  profile: FabricProfile
  /** The congestion controller every queue pair ran, with its resolved parameters. */
  cc: { name: string; params: Record<string, number> }
  /** The files the run read and its limits, with hashes (null for runs built in code). */
  inputs: RunInputs | null
  derived: { lineRateBps: number; baseRttPs: number; windowBytes: number; pfcHeadroomNeededBytes: number; hosts: number }
  summary: Summary
  /** Per-job figures when the trace mixes several jobs (`aifab mix`); empty otherwise. */
  jobs: JobRecord[]
  model: CostModel | null
  /** Where the sending hosts' link capacity went (loss-breakdown.ts); null when nothing was sent or the run did not complete. */
  lossBreakdown: LossBreakdown | null
  conservation: {
    framesInjected: number
    framesReceived: number
    /** Frames lost anywhere: queue drops, no route, lost on links. */
    drops: number
    /** Frames still queued or on a wire when the run ended (zero unless it was stopped early). */
    inNetwork: number
    /** Packets allocated in the pool when the run ended: must equal inNetwork (nothing leaked). */
    packetsLive: number
    /** Bytes switch buffers account as held: must equal the bytes queued at switch ports. */
    switchBufferedBytes: number
    switchQueuedBytes: number
    ok: boolean
  }
  incompleteOps: { id: number; reason: string }[]
  tiers: TierRecord[]
  /** Every port that sent or dropped anything, with its own counters. */
  ports: PortRecord[]
  /** How many equal-cost paths each queue pair's data took (at the switch where it had the most choice). */
  /** Each injected fault: what it destroyed and how long the fabric took to deliver it all again. */
  faults: FaultRecord[]
  paths: { queuePairs: number; meanPerQueuePair: number; minPerQueuePair: number; maxPerQueuePair: number; repicks: number }
  /** Per-flow congestion-control time series (rate, window, RTT, U), when sampled (--sample-us). */
  timeSeries: TimeSeries | null
  flows: FlowRecord[]
}

/**
 * The files a CLI run read besides the trace (whose hash is in `trace`), with
 * their sha256, and the run's limits: with the resolved configuration and the
 * seed, what `aifab replay --from-report` needs to run it again.
 */
export interface RunInputs {
  topology: { file: string; sha256: string }
  profile: { file: string; sha256: string }
  /** A congestion-control module loaded from a file; null for a built-in. */
  ccModule: { file: string; sha256: string } | null
  limits: { maxSimTimeUs: number | null; maxEvents: number | null; sampleUs: number | null }
}

export interface ReportInput {
  trace: Trace
  traceFile: string
  /** sha256 (hex) of the trace file's bytes; default: of the trace's JSON (a trace built in memory). */
  traceSha256?: string
  /** What a CLI run read and its limits (null for runs built in code). */
  inputs?: RunInputs
  fabric: Fabric
  result: ReplayResult
}

/** Builds the one report object of a run; every output format renders from it. */
export function buildReport({ trace, traceFile, traceSha256, inputs, fabric, result }: ReportInput): Report {
  const c = fabric.counters()
  const lineRateBps = fabric.lineRateBps
  const mtu = fabric.mtuBytes

  let firstStart = Infinity
  let lastEnd = 0
  const flows: FlowRecord[] = []
  trace.ops.forEach((op, i) => {
    const startPs = result.opStartPs[i]!
    const endPs = result.opEndPs[i]!
    if (startPs >= 0 && startPs < firstStart) firstStart = startPs
    if (endPs > lastEnd) lastEnd = endPs
    // Compute ops take time but move no bytes: they count for completion, not as flows.
    if (op.kind === 'compute') return
    flows.push({
      id: op.id,
      src: op.src,
      dst: op.dst,
      srcHost: result.hostOfRank[op.src]!,
      dstHost: result.hostOfRank[op.dst]!,
      bytes: op.bytes,
      channel: op.channel ?? 0,
      startPs,
      endPs,
      fctPs: endPs >= 0 && startPs >= 0 ? endPs - startPs : -1,
      idealFctPs: fabric.idealFctPs(result.hostOfRank[op.src]!, result.hostOfRank[op.dst]!, op.bytes),
    })
  })
  const complete = result.outcome === 'complete'
  const spanPs = lastEnd > 0 && firstStart < Infinity ? lastEnd - firstStart : 0

  // Goodput of a flow relative to the rate its path allows (NVLink, one plane, or the whole NIC): (bytes / rate) / FCT.
  const done = flows.filter((f) => f.fctPs > 0)
  const idealPs = (f: FlowRecord) => (f.bytes * 8 * 1e12) / fabric.lineRateOf(f.srcHost, f.dstHost, 0)
  const maxFct = done.reduce((m, f) => Math.max(m, f.fctPs), 0)
  const goodputMeanFraction = done.length ? done.reduce((s, f) => s + idealPs(f) / f.fctPs, 0) / done.length : 0
  const goodputJobFraction = done.length && maxFct > 0 ? done.reduce((s, f) => s + idealPs(f) / maxFct, 0) / done.length : 0

  let payloadBytes = 0
  let idealWireBytes = 0
  for (const f of done) {
    payloadBytes += f.bytes
    const packets = Math.ceil(f.bytes / mtu)
    idealWireBytes += dataWireBytes(0, true) + (packets - 1) * dataWireBytes(0, false) + f.bytes
  }
  const wireFactor = payloadBytes > 0 ? idealWireBytes / payloadBytes : 1

  let algbwGbps: number | null = null
  let busbwGbps: number | null = null
  let efficiency: number | null = complete ? goodputMeanFraction : null
  const coll = trace.collective
  if (coll && complete && spanPs > 0) {
    algbwGbps = rateBpsOf(coll.bytes, spanPs) / 1e9
    busbwGbps = algbwGbps * busBwFactor(coll.kind, trace.ranks)
    efficiency = (busbwGbps * 1e9) / lineRateBps
  }

  const model = collectiveModel(trace, fabric, result.hostOfRank)
  let wireBytes = 0
  for (const n of fabric.nics) for (const p of n.ports) wireBytes += p.txBytes

  // Every frame a NIC injected was received by a NIC, dropped, or is still in the network.
  const inNetwork = c.framesQueued + c.framesOnWire
  const conservationOk =
    c.framesInjected === c.framesReceived + c.drops + c.unroutable + c.lostOnLinks + inNetwork &&
    c.packetsLive === inNetwork &&
    c.switchBufferedBytes === c.switchQueuedBytes

  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    seed: fabric.seed,
    outcome: result.outcome,
    error: result.error,
    trace: {
      name: trace.name,
      file: traceFile,
      sha256: traceSha256 ?? createHash('sha256').update(JSON.stringify(trace)).digest('hex'),
      ranks: trace.ranks,
      ops: trace.ops.length,
      collective: coll ?? null,
    },
    topology: fabric.topology,
    profile: fabric.profile,
    cc: { name: fabric.cc.name, params: { ...fabric.ccParams } },
    inputs: inputs ?? null,
    derived: {
      lineRateBps,
      baseRttPs: fabric.baseRttPs,
      windowBytes: fabric.windowBytes,
      pfcHeadroomNeededBytes: fabric.pfcHeadroomNeededBytes,
      hosts: fabric.hosts,
    },
    summary: {
      completionTimePs: complete ? spanPs : null,
      algbwGbps,
      busbwGbps,
      efficiency,
      efficiencyWire: efficiency === null ? null : efficiency * wireFactor,
      goodputMeanFraction,
      goodputJobFraction,
      fct: fctStats(done),
      payloadBytes,
      wireBytes,
      drops: c.drops,
      trims: c.trims,
      lostOnLinks: c.lostOnLinks,
      unroutable: c.unroutable,
      retransmittedPackets: c.retransmittedPackets,
      timeouts: c.timeouts,
      failedQueuePairs: c.failedQueuePairs,
      naksSent: c.naksSent,
      cnpsSent: c.cnpsSent,
      rxDiscards: c.rxDiscards,
      ecnMarks: c.ecnMarks,
      pfcPauses: c.pfcPausesSent,
      pfcPausedPs: c.pfcPausedPs,
      pfcHeadroomOverflows: c.pfcHeadroomOverflows,
      pfcHeadroomOverflowBytes: c.pfcHeadroomOverflowBytes,
      bufferFullRefusals: c.bufferFullRefusals,
      skippedBytes: result.skippedBytes,
      reorderWindowPeak: c.reorderWindowPeak,
      reorderDistance: reorderDistance(fabric),
      packetHops: c.packetHops,
      events: result.events,
    },
    jobs: jobRecords(trace, result, lineRateBps),
    model,
    // Only a completed run's bytes and span belong together.
    lossBreakdown: complete ? lossBreakdown(trace, fabric, result, spanPs, model) : null,
    conservation: {
      framesInjected: c.framesInjected,
      framesReceived: c.framesReceived,
      drops: c.drops + c.unroutable + c.lostOnLinks,
      inNetwork,
      packetsLive: c.packetsLive,
      switchBufferedBytes: c.switchBufferedBytes,
      switchQueuedBytes: c.switchQueuedBytes,
      ok: conservationOk,
    },
    incompleteOps: incompleteOps(trace, result, c.failedQueuePairs),
    tiers: tierRecords(fabric, spanPs),
    ports: portRecords(fabric, spanPs),
    paths: pathRecord(fabric),
    faults: fabric.faultInjector?.records ?? [],
    timeSeries: result.timeSeries,
    flows,
  }
}


function incompleteOps(trace: Trace, result: ReplayResult, failedQueuePairs: number): { id: number; reason: string }[] {
  const why =
    result.outcome === 'cc-error'
      ? `stopped by the congestion controller: ${result.error}`
      : result.outcome === 'time-limit'
        ? 'simulated-time limit reached'
        : result.outcome === 'event-limit'
          ? 'event limit reached'
          : result.outcome === 'interrupted'
            ? 'the run was interrupted (Ctrl-C or a termination signal)'
            : failedQueuePairs > 0
              ? `the fabric went idle after ${failedQueuePairs} queue pairs gave up (retry limit of timeouts in a row)`
              : 'the fabric went idle with this op unfinished'
  const out: { id: number; reason: string }[] = []
  trace.ops.forEach((op, i) => {
    if (result.opEndPs[i]! < 0) {
      out.push({ id: op.id, reason: result.opStartPs[i]! < 0 ? `not started (waiting on deps); ${why}` : `started, not delivered; ${why}` })
    }
  })
  return out
}

function pathRecord(fabric: Fabric): Report['paths'] {
  // Per queue pair, the most candidates it took at any one switch: a pass over each switch's entries,
  // not queue pairs x switches (320 million look-ups on a million-flow all-to-all on k=16).
  const used = new Int32Array(fabric.qps.length)
  for (const sw of fabric.switches) sw.paths.forEach((qp, n) => (used[qp] = Math.max(used[qp]!, n)))
  let sum = 0
  let min = Infinity
  let max = 0
  for (let qp = 0; qp < used.length; qp++) {
    // Queue pairs whose packets never met a choice (same leaf) have one path.
    const u = used[qp] || 1
    sum += u
    if (u < min) min = u
    if (u > max) max = u
  }
  const counted = used.length
  const repicks = fabric.switches.reduce((s, sw) => s + sw.repicks, 0)
  return { queuePairs: counted, meanPerQueuePair: counted ? sum / counted : 0, minPerQueuePair: counted ? min : 0, maxPerQueuePair: max, repicks }
}

function portRecords(fabric: Fabric, durationPs: number): PortRecord[] {
  const now = fabric.sched.nowPs
  return fabric.ports
    .map((p, i) => ({
      name: p.name,
      tier: fabric.portTiers[i]!,
      txBytes: p.txBytes,
      utilization: durationPs > 0 ? p.busyPs / durationPs : 0,
      maxQueueBytes: p.maxQueuedBytes,
      queueP99Bytes: p.queueSeen.quantile(0.99),
      drops: p.drops,
      ecnMarks: p.ecnMarks,
      trims: p.trims,
      pausesReceived: p.pausesReceived,
      pausedPs: p.pausedPsAt(now),
    }))
    .filter((r) => r.txBytes > 0 || r.drops > 0 || r.pausesReceived > 0)
}

function queueQuantiles(ports: readonly EgressPort[]): { queueP50Bytes: number; queueP99Bytes: number } {
  const h = new ByteHistogram()
  for (const p of ports) h.addAll(p.queueSeen)
  return { queueP50Bytes: h.quantile(0.5), queueP99Bytes: h.quantile(0.99) }
}

function tierRecords(fabric: Fabric, durationPs: number): TierRecord[] {
  const out: TierRecord[] = []
  const now = fabric.sched.nowPs
  for (const tier of PORT_TIERS) {
    const ports = fabric.ports.filter((_, i) => fabric.portTiers[i] === tier)
    if (ports.length === 0) continue
    const util = ports.map((p) => (durationPs > 0 ? p.busyPs / durationPs : 0))
    const mean = util.reduce((a, b) => a + b, 0) / util.length
    const max = Math.max(...util)
    out.push({
      tier,
      ports: ports.length,
      utilizationMean: mean,
      utilizationMax: max,
      imbalance: mean > 0 ? max / mean : 0,
      maxQueueBytes: Math.max(...ports.map((p) => p.maxQueuedBytes)),
      ...queueQuantiles(ports),
      drops: ports.reduce((s, p) => s + p.drops, 0),
      ecnMarks: ports.reduce((s, p) => s + p.ecnMarks, 0),
      pausedPsTotal: ports.reduce((s, p) => s + p.pausedPsAt(now), 0),
      pausedPsMax: Math.max(...ports.map((p) => p.pausedPsAt(now))),
    })
  }
  return out
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

function fctStats(done: readonly FlowRecord[]): Summary['fct'] {
  if (done.length === 0) return null
  const fct = done.map((f) => f.fctPs).sort((a, b) => a - b)
  const slow = done.map((f) => f.fctPs / f.idealFctPs).sort((a, b) => a - b)
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  return { flows: done.length, meanPs: mean(fct), p50Ps: quantile(fct, 0.5), p99Ps: quantile(fct, 0.99), maxPs: fct[fct.length - 1]!, slowdownMean: mean(slow), slowdownP99: quantile(slow, 0.99) }
}

function reorderDistance(fabric: Fabric): Summary['reorderDistance'] {
  const out: Summary['reorderDistance'] = []
  const buckets = fabric.nics[0]?.reorderDistance.length ?? 0
  for (let b = 0; b < buckets; b++) {
    let packets = 0
    for (const n of fabric.nics) packets += n.reorderDistance[b]!
    if (packets > 0) out.push({ fromPackets: 2 ** b, toPackets: b === buckets - 1 ? null : 2 ** (b + 1) - 1, packets })
  }
  return out
}
