import type { AckInfo } from '../ack-info.ts'
import type { CcContext, CcDefinition, CongestionControl } from '../congestion-control.ts'

/** Hops whose previous INT record HPCC keeps (the fabric stamps at most 8). */
const MAX_HOPS = 8

/**
 * HPCC (Li et al., SIGCOMM 2019), REFERENCE.md: from the INT records an ACK
 * echoes, each hop's utilization u_j = txRate_j / B_j + min(qlen_j, qlen_prev_j) / (B_j T);
 * U = max_j u_j, smoothed over the time the records span. Per ACK (fast
 * reaction) W = Wc / (U / eta) + W_AI when U >= eta or incStage >= maxStage,
 * else Wc + W_AI; the reference window Wc is refreshed once per RTT. The
 * pacing rate is W / T.
 */
export const hpcc: CcDefinition = {
  name: 'hpcc',
  description: 'HPCC: window from INT link utilization (target eta), per-ACK fast reaction, reference window once per RTT; paced at W/T.',
  needsInt: true,
  params: {
    eta: { default: 0.95, description: 'target utilization', min: 0.01, max: 1 },
    maxStage: { default: 5, description: 'additive-increase rounds before a multiplicative update', min: 0 },
    wAiBytes: { default: 80, description: 'W_AI, additive increase per update (bytes)', min: 0 },
  },
  create: (p, ctx) => new Hpcc(p, ctx),
}

export class Hpcc implements CongestionControl {
  readonly name = 'hpcc'
  windowBytes: number
  rateBps: number
  /** Smoothed normalized utilization, as last computed. */
  u = 0
  /** Reference window Wc. */
  wcBytes: number
  incStage = 0
  private lastUpdatePsn = 0
  private readonly prevPort = new Int32Array(MAX_HOPS).fill(-1)
  private readonly prevTs = new Float64Array(MAX_HOPS)
  private readonly prevTx = new Float64Array(MAX_HOPS)
  private readonly prevQ = new Float64Array(MAX_HOPS)
  private prevHops = 0
  private readonly tPs: number
  private readonly maxWindowBytes: number

  constructor(
    private readonly p: Record<string, number>,
    private readonly ctx: CcContext,
  ) {
    this.tPs = ctx.baseRttPs
    // Start at line rate (HPCC's initial window, also its cap): the profile's
    // window, one BDP plus the packets a coalesced ACK waits for.
    this.maxWindowBytes = ctx.initialWindowBytes
    this.windowBytes = this.wcBytes = this.maxWindowBytes
    this.rateBps = ctx.lineRateBps
  }

  onAck(ack: AckInfo): void {
    const hops = Math.min(ack.intHops, MAX_HOPS)
    if (hops === 0) return
    if (this.prevHops === hops && this.comparable(ack, hops)) {
      const u = this.measure(ack, hops)
      const eta = this.p.eta!
      const update = ack.ackPsn > this.lastUpdatePsn
      let w: number
      if (u >= eta || this.incStage >= this.p.maxStage!) w = this.wcBytes / (u / eta) + this.p.wAiBytes!
      else w = this.wcBytes + this.p.wAiBytes!
      w = Math.min(Math.max(w, this.ctx.mtuBytes), this.maxWindowBytes)
      if (update) {
        // Once per round trip: this window becomes the reference.
        this.incStage = u >= eta || this.incStage >= this.p.maxStage! ? 0 : this.incStage + 1
        this.wcBytes = w
        this.lastUpdatePsn = ack.nextPsn
      }
      this.windowBytes = w
      this.rateBps = Math.min(this.ctx.lineRateBps, Math.max((w * 8e12) / this.tPs, 1e6))
    }
    for (let j = 0; j < hops; j++) {
      this.prevPort[j] = ack.hopPort(j)
      this.prevTs[j] = ack.hopTsPs(j)
      this.prevTx[j] = ack.hopTxBytes(j)
      this.prevQ[j] = ack.hopQlenBytes(j)
    }
    this.prevHops = hops
  }

  /**
   * Rates come from differences of two records of the same egress port: with
   * per-packet load balancing consecutive ACKs may have crossed different
   * ports, and then this ACK only refreshes the reference records.
   */
  private comparable(ack: AckInfo, hops: number): boolean {
    for (let j = 0; j < hops; j++) if (ack.hopPort(j) !== this.prevPort[j]) return false
    return true
  }

  /** U over the path from this ACK's records and the previous ones, smoothed by the time they span. */
  private measure(ack: AckInfo, hops: number): number {
    let uMax = 0
    let tau = 0
    for (let j = 0; j < hops; j++) {
      const dt = ack.hopTsPs(j) - this.prevTs[j]!
      if (dt <= 0) continue
      const bytesPerPs = ack.hopRateBps(j) / 8e12
      const txRate = (ack.hopTxBytes(j) - this.prevTx[j]!) / dt
      const u = txRate / bytesPerPs + Math.min(ack.hopQlenBytes(j), this.prevQ[j]!) / (bytesPerPs * this.tPs)
      if (u > uMax) {
        uMax = u
        tau = dt
      }
    }
    if (tau > this.tPs) tau = this.tPs
    this.u = (this.u * (this.tPs - tau)) / this.tPs + (uMax * tau) / this.tPs
    return this.u
  }
}
