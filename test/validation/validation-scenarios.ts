// The validation suite: each analytic model of ../shared/REFERENCE.md that
// aifab can reproduce, as a scenario whose tolerance comes from the model's
// own spread (a standard error over seeds or samples) or from what the model
// leaves out, said in `tolerance`. `npm run validate` prints the table;
// test/validation.test.ts holds every row to it.
import { Rng, dataWireBytes, serializationPs } from '@aifab/core'
import { buildFabric } from '@aifab/topology'
import { genDoubleBinaryTreeAllreduce, genHalvingDoublingAllreduce, genRingAllreduce, placementOf, replay, type Trace } from '@aifab/workload'
import { jain, samplePackets } from '../helpers/fairness.ts'
import { flowsTrace, leafSpine, profile, simulate } from '../helpers/scenario.ts'

export interface ValidationRow {
  scenario: string
  model: number
  aifab: number
  unit: string
  /** aifab must lie in [low, high]. */
  low: number
  high: number
  /** Where the band comes from. */
  tolerance: string
}

export interface Validation {
  name: string
  rows(): ValidationRow[]
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
/** Standard error of the mean of autocorrelated samples, from the means of `batches` consecutive batches. */
function batchStandardError(xs: number[], batches = 20): number {
  const size = Math.floor(xs.length / batches)
  const means = Array.from({ length: batches }, (_, b) => mean(xs.slice(b * size, (b + 1) * size)))
  const m = mean(means)
  return Math.sqrt(means.reduce((a, x) => a + (x - m) ** 2, 0) / (batches - 1) / batches)
}
const within = (scenario: string, model: number, aifab: number, unit: string, halfWidth: number, tolerance: string): ValidationRow => ({
  scenario,
  model,
  aifab,
  unit,
  low: model - halfWidth,
  high: model + halfWidth,
  tolerance,
})

/** n flows from n hosts under one leaf to n under another, over n spines, hashed per flow. */
const ecmpCollisions: Validation = {
  name: 'ECMP collisions',
  rows() {
    const n = 8
    const seeds = 200
    const topo = leafSpine({ leaves: 2, spines: n, hostsPerLeaf: n })
    const bytes = 4 << 20
    const trace = flowsTrace(Array.from({ length: n }, (_, i): [number, number] => [i, n + i]), bytes, 2 * n)
    const roce = profile('roce')
    const lone = simulate(flowsTrace([[0, n]], bytes, 2 * n), topo, roce, 1).report.summary.goodputMeanFraction
    const values = Array.from({ length: seeds }, (_, s) => simulate(trace, topo, roce, s + 1).report.summary.goodputMeanFraction / lone)
    // Balls into bins: the expected and the variance of the fraction of paths used.
    const q = 1 - 1 / n
    const model = 1 - q ** n
    const varPaths = n * (n - 1) * (1 - 2 / n) ** n + n * q ** n - n * n * q ** (2 * n)
    const se = Math.sqrt(varPaths) / n / Math.sqrt(seeds)
    return [within(`${n} flows on ${n} paths, ECMP, mean goodput / lone flow, ${seeds} seeds`, model, mean(values), '', 4 * se, `4 SE of the mean over seeds (${(4 * se).toFixed(4)})`)]
  },
}

/** Poisson arrivals of one-packet messages from many senders into one port. */
const md1: Validation = {
  name: 'M/D/1 queue',
  rows() {
    const senders = 64
    const payload = 4096
    const topo = leafSpine({ leaves: 1, spines: 1, hostsPerLeaf: senders + 1, hostLinkGbps: 100, fabricLinkGbps: 100 })
    const serviceNs = (dataWireBytes(payload, true) * 8) / 100
    return [0.5, 0.8].map((rho) => {
      // Every sender runs a Poisson process up to the same horizon (fixed counts would thin the load at the end).
      const rng = new Rng(7, 1)
      const horizonNs = (64000 * serviceNs) / rho
      const perSender = rho / serviceNs / senders
      const arrivals: [number, number][] = []
      for (let s = 0; s < senders; s++) {
        for (let t = -Math.log(1 - rng.nextFloat()) / perSender; t < horizonNs; t += -Math.log(1 - rng.nextFloat()) / perSender) arrivals.push([t, s])
      }
      arrivals.sort((a, b) => a[0] - b[0])
      const trace: Trace = { format: 'aifab.trace', version: 1, name: 'md1', ranks: senders + 1, ops: arrivals.map(([t, s], id) => ({ id, src: s, dst: senders, bytes: payload, deps: [], startNs: t })) }
      const { flows } = simulate(trace, topo, profile('ai-ethernet'), 1).report
      // Waiting time: completion beyond the lone-packet time, over the middle 80% of the run.
      const waits = flows.slice(Math.floor(flows.length / 10), Math.floor(flows.length * 0.9)).map((f) => (f.fctPs - f.idealFctPs) / 1000)
      // Pollaczek-Khinchine for M/D/1 at the bottleneck, plus the same at the sender's own port at rho / senders.
      const wq = (r: number) => (r * serviceNs) / (2 * (1 - r))
      const se = batchStandardError(waits)
      return within(`mean wait, rho = ${rho}, ${senders} Poisson senders -> 1 port`, wq(rho) + wq(rho / senders), mean(waits), 'ns', 4 * se, `4 SE by batch means (${(4 * se).toFixed(1)} ns)`)
    })
  },
}

/** Ring and halving-doubling all-reduce on the flagship fabric, ranks interleaved so every hop crosses a spine. */
const collectives: Validation = {
  name: 'all-reduce cost models',
  rows() {
    const topo = leafSpine()
    const placement = placementOf('interleave', 64, 8, 8)
    const prof = profile('ai-ethernet', { nic: { windowBdp: 2 } })
    const rows: ValidationRow[] = []
    const small: Record<string, [number, number]> = {}
    for (const [alg, gen] of [
      ['ring', genRingAllreduce],
      ['halving-doubling', genHalvingDoublingAllreduce],
    ] as const) {
      for (const bytes of [256 << 10, 16 << 20]) {
        const r = simulate(gen({ ranks: 64, bytes, placement }), topo, prof, 1).report
        const model = r.model!.completionTimePs / 1e6
        // The model is a floor (every step's messages start together, nothing waits); above it the
        // run pays the ACKs sharing each link (0.5%) and per-step start-up the model's alpha omits.
        if (bytes === 256 << 10) small[alg] = [r.model!.completionTimePs, r.summary.completionTimePs!]
        rows.push({ scenario: `${alg} all-reduce, 64 ranks, ${bytes >= 1 << 20 ? `${bytes >> 20} MiB` : `${bytes >> 10} KiB`}`, model, aifab: r.summary.completionTimePs! / 1e6, unit: 'us', low: model, high: model * 1.1, tolerance: 'model .. +10% (a floor: ACKs and step start-up come on top)' })
      }
    }
    // Small messages: halving-doubling's 2 log2 N latency terms beat the ring's 2(N-1).
    const [hdModel, hdRun] = small['halving-doubling']!
    const [ringModel, ringRun] = small.ring!
    rows.push({ scenario: 'halving-doubling / ring time, 64 ranks, 256 KiB', model: hdModel / ringModel, aifab: hdRun / ringRun, unit: '', low: 0, high: 0.999, tolerance: 'below 1 (the ordering the models give)' })
    const one = leafSpine({ leaves: 1, spines: 1, hostsPerLeaf: 64 })
    const tree = simulate(genDoubleBinaryTreeAllreduce({ ranks: 64, bytes: 16 << 20, chunkBytes: 64 << 10 }), one, prof, 1).report
    rows.push({
      scenario: 'double binary tree, 64 ranks, 16 MiB in 64 KiB pieces, one switch',
      model: tree.model!.completionTimePs / 1e6,
      aifab: tree.summary.completionTimePs! / 1e6,
      unit: 'us',
      low: tree.model!.completionTimePs / 1e6,
      high: tree.model!.completionTimeHighPs! / 1e6,
      tolerance: 'the model band (one or two serializations per hop, ACKs or not)',
    })
    return rows
  },
}

/** 15 -> 1 incast under PFC: no loss, and the bottleneck never idles once the first packet is in. */
const incastPfc: Validation = {
  name: 'incast with PFC',
  rows() {
    const topo = leafSpine({ leaves: 2, spines: 8, hostsPerLeaf: 8 })
    const prof = profile('roce', { switch: { pfc: { xoffBytes: 65536, xonBytes: 49152, headroomBytes: 65536 } } })
    const senders = 15
    const bytes = 1 << 20
    const { report, fabric } = simulate(flowsTrace(Array.from({ length: senders }, (_, i): [number, number] => [i + 1, 0]), bytes, 16), topo, prof, 1)
    // Full bottleneck use: all the bytes at the receiver's line rate, as if one flow, after the first
    // packet's trip (plus the RETH of each sender's first packet).
    const modelUs = (fabric.idealFctPs(1, 0, senders * bytes) + ((senders - 1) * 16 * 8e12) / fabric.lineRateBps) / 1e6
    return [
      { scenario: `incast ${senders} -> 1, PFC: frames dropped`, model: 0, aifab: report.summary.drops, unit: 'frames', low: 0, high: 0, tolerance: 'exact' },
      {
        scenario: `incast ${senders} -> 1, PFC: completion (the bottleneck never idles)`,
        model: modelUs,
        aifab: report.summary.completionTimePs! / 1e6,
        unit: 'us',
        low: modelUs,
        high: modelUs * 1.01,
        tolerance: 'model .. +1% (a floor: line rate; ACKs share no link with the data here)',
      },
    ]
  },
}

/** One long flow under random data loss with a go-back-N receiver. */
const goBackN: Validation = {
  name: 'go-back-N under loss',
  rows() {
    const topo = leafSpine({ leaves: 1, spines: 1, hostsPerLeaf: 2, hostLinkGbps: 100, fabricLinkGbps: 100 })
    const base = profile('roce', { nic: { windowBdp: 1, nakIntervalUs: 3, congestionControl: 'none', ccParams: {} }, switch: { pfc: null, ecn: null } })
    const bytes = 256 << 20
    const lone = simulate(flowsTrace([[0, 1]], bytes, 2), topo, base, 1).report.flows[0]!.fctPs
    return [0.003, 0.01].map((p) => {
      // Data frames only (towards host 1): the model knows no ACK loss.
      const prof = { ...base, faults: [{ kind: 'loss' as const, link: 'host1-leaf0', atUs: 0, lossRate: p, towards: 'host1' }] }
      const { report, fabric } = simulate(flowsTrace([[0, 1]], bytes, 2), topo, prof, 1)
      // W: packets in flight when the NAK for a loss arrives, one round trip of packets plus the one
      // whose arrival reveals the gap (the window holds more, so it never binds).
      const frame = dataWireBytes(4096, false)
      const w = Math.min(fabric.windowBytes / 4096, fabric.baseRttPs / serializationPs(frame, 100e9) + 1)
      const packets = bytes / 4096
      const model = (1 - p) / (1 + (w - 1) * p)
      // Spread: the number of losses is Poisson(p x packets), each costing about W packets.
      const se = (w * Math.sqrt(p * packets)) / packets
      return within(`efficiency, loss p = ${p}, W = ${w.toFixed(1)}`, model, lone / report.flows[0]!.fctPs, '', 4 * se, `4 SE of the loss count (${(4 * se).toFixed(4)})`)
    })
  },
}

/**
 * N long flows into one receiver under each built-in congestion controller:
 * Jain's index of their rates once converged, from 10 to 20 ms (DCQCN takes
 * longest: 0.966 from 1 to 3 ms, 0.983 from 3 to 5, 0.992 from 5 to 10).
 */
const fairness: Validation = {
  name: 'fairness',
  rows() {
    const topo = leafSpine({ leaves: 1, spines: 1, hostsPerLeaf: 9, hostLinkGbps: 100, fabricLinkGbps: 100 })
    const lossless = { pfc: { xoffBytes: 262144, xonBytes: 229376, headroomBytes: 65536 }, int: { bytesPerRecord: 8, maxHops: 5 } }
    return ['dcqcn', 'hpcc', 'dctcp', 'timely', 'swift', 'nscc'].map((cc) => {
      const prof = profile('ai-ethernet', { switch: lossless, nic: { congestionControl: cc, ackEveryPackets: 1 } })
      const fabric = buildFabric(topo, prof, 1)
      const ms = 1_000_000_000
      const samples = samplePackets(fabric, [10 * ms, 20 * ms])
      const trace = flowsTrace(Array.from({ length: 8 }, (_, i): [number, number] => [i + 1, 0]), 64 << 20, 9)
      replay(fabric, trace, 'fairness')
      const rates = samples[1]!.map((x, i) => x - samples[0]![i]!)
      return { scenario: `8 long flows on one bottleneck, ${cc}: Jain index, 10-20 ms`, model: 1, aifab: jain(rates), unit: '', low: 0.99, high: 1, tolerance: '-0.01 (coefficient of variation of the rates at most 10%)' }
    })
  },
}

export const VALIDATIONS: Validation[] = [ecmpCollisions, md1, collectives, incastPfc, goBackN, fairness]
