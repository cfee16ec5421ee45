import { Rng } from '@aifab/core'
import { cdfMeanBytes, sampleCdf, type FlowSizeCdf } from './flow-size-cdf.ts'
import { MAX_CHANNEL, type Trace, type TraceOp } from './trace.ts'

export interface BackgroundOptions {
  ranks: number
  /** Offered load as a fraction of each rank's host link rate. */
  load: number
  hostLinkBps: number
  durationNs: number
  cdf: FlowSizeCdf
  seed: number
  placement?: number[]
  name?: string
}

/**
 * Open-loop background traffic: every rank starts flows as a Poisson process
 * of rate load x linkRate / mean flow size, each to a uniformly random other
 * rank, sizes drawn from the CDF, until `durationNs`. Each flow gets its own
 * queue pair (a channel per flow of the pair), as every ns-3 flow has its own
 * ports, so flows do not queue behind each other at the sender.
 */
export function genBackground(o: BackgroundOptions): Trace {
  const n = o.ranks
  if (n < 2) throw new RangeError('background traffic needs at least 2 ranks')
  if (!(o.load > 0 && o.load <= 1)) throw new RangeError(`load must be in (0, 1], got ${o.load}`)
  const meanBytes = cdfMeanBytes(o.cdf)
  const flowsPerNs = (o.load * o.hostLinkBps) / 8 / meanBytes / 1e9
  const rng = new Rng(o.seed >>> 0, 0xb9c6)
  const arrivals: { startNs: number; src: number; dst: number; bytes: number }[] = []
  for (let src = 0; src < n; src++) {
    for (let t = -Math.log(1 - rng.nextFloat()) / flowsPerNs; t < o.durationNs; t += -Math.log(1 - rng.nextFloat()) / flowsPerNs) {
      const d = rng.nextInt(n - 1)
      arrivals.push({ startNs: Math.round(t), src, dst: d >= src ? d + 1 : d, bytes: sampleCdf(o.cdf, rng.nextFloat()) })
    }
  }
  // Ids in time order (ties by source), so the file reads as a timeline.
  arrivals.sort((a, b) => a.startNs - b.startNs || a.src - b.src)
  const perPair = new Map<number, number>()
  const ops: TraceOp[] = arrivals.map((f, id) => {
    const pair = f.src * n + f.dst
    const channel = perPair.get(pair) ?? 0
    if (channel > MAX_CHANNEL) throw new RangeError(`more than ${MAX_CHANNEL + 1} flows from rank ${f.src} to rank ${f.dst} (one queue pair each); use more ranks or a shorter duration`)
    perPair.set(pair, channel + 1)
    return { id, src: f.src, dst: f.dst, bytes: f.bytes, deps: [], startNs: f.startNs, channel }
  })
  const trace: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: o.name ?? `background-${o.cdf.name}-${n}r-load${o.load}-${o.durationNs}ns`,
    ranks: n,
    ops,
  }
  if (o.placement) trace.placement = o.placement
  return trace
}
