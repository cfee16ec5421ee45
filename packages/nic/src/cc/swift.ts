import type { AckInfo } from '../ack-info.ts'
import type { CcContext, CcDefinition, CongestionControl } from '../congestion-control.ts'

/**
 * Swift (Kumar et al., SIGCOMM 2020), REFERENCE.md: a window steered by a
 * delay target = base RTT + hops x h + a flow-scaling term that grows as the
 * window shrinks. Below target cwnd += ai x acked / cwnd; above it, at most
 * once per RTT, cwnd *= max(1 - beta (delay - target) / delay, 1 - maxMdf);
 * on a retransmission cwnd *= 1 - maxMdf.
 */
export const swift: CcDefinition = {
  name: 'swift',
  description: 'Swift: window steered by a delay target with per-hop and flow-scaling terms.',
  params: {
    ai: { default: 1, description: 'additive increase, packets per RTT', min: 0 },
    beta: { default: 0.8, description: 'multiplicative decrease factor', min: 0, max: 1 },
    maxMdf: { default: 0.5, description: 'largest decrease in one step', min: 0, max: 0.999 },
    hopUs: { default: 0.1, description: 'h: target delay added per switch hop', min: 0 },
    fsRangeUs: { default: 5, description: 'flow scaling: the most it adds to the target', min: 0 },
    fsMinCwnd: { default: 0.1, description: 'flow scaling: window (packets) at which the full range applies', min: 0.001 },
    fsMaxCwnd: { default: 100, description: 'flow scaling: window (packets) at which it vanishes', min: 0.001 },
    minCwnd: { default: 0.01, description: 'smallest window, packets (below 1 the flow is paced)', min: 0.001 },
  },
  create: (p, ctx) => new Swift(p, ctx),
}

export class Swift implements CongestionControl {
  readonly name = 'swift'
  /** Window in packets (may be below 1: then paced). */
  cwnd: number
  windowBytes: number
  rateBps: number
  private lastDecreasePs = -Infinity

  constructor(
    private readonly p: Record<string, number>,
    private readonly ctx: CcContext,
  ) {
    this.cwnd = ctx.initialWindowBytes / ctx.mtuBytes
    this.windowBytes = ctx.initialWindowBytes
    this.rateBps = ctx.lineRateBps
  }

  /** The delay target for the current window (ps). */
  targetPs(): number {
    const p = this.p
    const a = 1 / Math.sqrt(p.fsMinCwnd!)
    const b = 1 / Math.sqrt(p.fsMaxCwnd!)
    const fs = Math.min(1, Math.max(0, (1 / Math.sqrt(this.cwnd) - b) / (a - b)))
    return this.ctx.baseRttPs + this.ctx.hops * p.hopUs! * 1e6 + fs * p.fsRangeUs! * 1e6
  }

  onAck(ack: AckInfo): void {
    if (ack.ackedBytes > 0) this.react(ack.rttPs, ack.ackedBytes / this.ctx.mtuBytes)
  }

  /** One ACK's worth of Swift with an RTT sample and packets acknowledged (exposed for tests). */
  react(delayPs: number, ackedPackets: number): void {
    const p = this.p
    const target = this.targetPs()
    const now = this.ctx.nowPs()
    if (delayPs < target) {
      this.cwnd += (p.ai! * ackedPackets) / Math.max(this.cwnd, 1)
    } else if (now - this.lastDecreasePs >= this.ctx.baseRttPs) {
      this.cwnd *= Math.max(1 - (p.beta! * (delayPs - target)) / delayPs, 1 - p.maxMdf!)
      this.lastDecreasePs = now
    }
    this.apply()
  }

  onNack(): void {
    this.retransmitted()
  }

  onTimeout(): void {
    this.retransmitted()
  }

  private retransmitted(): void {
    this.cwnd *= 1 - this.p.maxMdf!
    this.apply()
  }

  private apply(): void {
    this.cwnd = Math.max(this.p.minCwnd!, this.cwnd)
    const mtu = this.ctx.mtuBytes
    this.windowBytes = Math.max(mtu, this.cwnd * mtu)
    // Below one packet, Swift paces: one packet per RTT / cwnd.
    this.rateBps = this.cwnd >= 1 ? this.ctx.lineRateBps : Math.max(1e6, (this.cwnd * mtu * 8e12) / this.ctx.baseRttPs)
  }
}
