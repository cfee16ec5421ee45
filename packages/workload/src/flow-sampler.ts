import type { EventTarget } from '@aifab/core'
import type { Fabric } from '@aifab/topology'
import { FabricSeriesRecorder, type FabricSeries } from './fabric-series.ts'

/** What the sampler saw of one queue pair: parallel arrays, one entry per sample. */
export interface FlowSeries {
  qp: number
  srcHost: number
  dstHost: number
  tPs: number[]
  rateBps: number[]
  /** Infinity is written as -1 (JSON has no Infinity): no window. */
  windowBytes: number[]
  /** The latest RTT sample at that time (ps); -1 before the first. */
  rttPs: number[]
  /** INT-based controllers: their normalized utilization U; -1 for the others. */
  u: number[]
}

/** A port that sent more bits in a sampling interval than its rate allows (an invariant; normally never). */
export interface RateExcess {
  port: string
  fromPs: number
  toPs: number
  bits: number
  limitBits: number
}

export interface TimeSeries {
  /** Sampling interval at the end of the run (it doubles whenever the budget fills). */
  intervalPs: number
  flows: FlowSeries[]
  fabric: FabricSeries
}

/**
 * Samples every queue pair's congestion-control state (rate, window, RTT, U)
 * at a fixed interval while the run has work. Memory is bounded: when a flow's
 * series reaches maxSamples, every other sample is dropped and the interval
 * doubles, so a long run keeps an even, coarser picture.
 */
export class FlowSampler implements EventTarget {
  private intervalPs: number
  private readonly series = new Map<number, FlowSeries>()
  private readonly targetId: number
  private stopped = false
  /** Each port's bits sent at the last sample, and the sample's time. */
  private readonly fabricSeries: FabricSeriesRecorder
  private readonly portBits: Float64Array
  private lastPs = 0
  /** The first interval in which a port sent faster than its peak rate, if any. */
  rateExcess: RateExcess | null = null

  constructor(
    private readonly fabric: Fabric,
    intervalPs: number,
    private readonly done: () => boolean,
    private readonly maxSamples = 512,
  ) {
    this.intervalPs = intervalPs
    this.portBits = new Float64Array(fabric.ports.length)
    this.fabricSeries = new FabricSeriesRecorder(fabric)
    this.targetId = fabric.sched.register(this)
    fabric.sched.schedule(0, this.targetId, 0, 0)
  }

  onEvent(): void {
    // Done, or nothing else will ever happen (a stalled run): sampling must not keep the run alive.
    if (this.stopped || this.done() || this.fabric.sched.pending === 0) {
      this.stopped = true
      return
    }
    const now = this.fabric.sched.nowPs
    this.checkPortRates(now)
    this.fabricSeries.sample(now)
    let full = this.fabricSeries.sampleCount >= this.maxSamples
    for (const qp of this.fabric.qps) {
      if (qp.sndUna >= qp.endPsn) continue
      let s = this.series.get(qp.id)
      if (s === undefined) {
        s = { qp: qp.id, srcHost: qp.srcHost, dstHost: qp.dstHost, tPs: [], rateBps: [], windowBytes: [], rttPs: [], u: [] }
        this.series.set(qp.id, s)
      }
      const cc = qp.cc as { rateBps: number; windowBytes: number; u?: number }
      s.tPs.push(now)
      s.rateBps.push(cc.rateBps)
      s.windowBytes.push(Number.isFinite(cc.windowBytes) ? cc.windowBytes : -1)
      s.rttPs.push(qp.lastRttPs)
      s.u.push(typeof cc.u === 'number' ? cc.u : -1)
      if (s.tPs.length >= this.maxSamples) full = true
    }
    if (full) this.halve()
    // The next multiple of the interval: samples stay on one grid from time 0, also after the interval doubles.
    this.fabric.sched.schedule((Math.floor(now / this.intervalPs) + 1) * this.intervalPs, this.targetId, 0, 0)
  }

  /** No port may serialize more bits in an interval than its peak rate allows (1 bit of slack for rounding). */
  private checkPortRates(now: number): void {
    const ports = this.fabric.ports
    for (let i = 0; i < ports.length; i++) {
      const bits = ports[i]!.bitsSentBy(now)
      const limitBits = (ports[i]!.peakRateBps * (now - this.lastPs)) / 1e12
      if (this.rateExcess === null && bits - this.portBits[i]! > limitBits + 1) {
        this.rateExcess = { port: ports[i]!.name, fromPs: this.lastPs, toPs: now, bits: bits - this.portBits[i]!, limitBits }
      }
      this.portBits[i] = bits
    }
    this.lastPs = now
  }

  /** Doubles the interval and keeps the samples on its grid (every other one; a flow's series may begin at either). */
  private halve(): void {
    const gridPs = 2 * this.intervalPs
    for (const s of this.series.values()) {
      const on = s.tPs.map((t) => t % gridPs === 0)
      const keep = <T>(a: T[]) => a.filter((_, i) => on[i])
      s.tPs = keep(s.tPs)
      s.rateBps = keep(s.rateBps)
      s.windowBytes = keep(s.windowBytes)
      s.rttPs = keep(s.rttPs)
      s.u = keep(s.u)
    }
    this.fabricSeries.halve()
    this.intervalPs = gridPs
  }

  result(): TimeSeries {
    return { intervalPs: this.intervalPs, flows: [...this.series.values()].sort((a, b) => a.qp - b.qp), fabric: this.fabricSeries.result() }
  }
}
