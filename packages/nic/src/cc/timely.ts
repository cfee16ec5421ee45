import type { AckInfo } from '../ack-info.ts'
import type { CcContext, CcDefinition, CongestionControl } from '../congestion-control.ts'

/**
 * TIMELY (Mittal et al., SIGCOMM 2015), REFERENCE.md: a rate driven by the
 * RTT gradient. diff = (1-a) diff + a (rtt - prevRtt), grad = diff / minRtt;
 * below Tlow add delta, above Thigh cut by beta (1 - Thigh/rtt); otherwise add
 * delta (N x delta after 5 rounds of non-positive gradient) or cut by beta x grad.
 * One update per minRtt of samples.
 */
export const timely: CcDefinition = {
  name: 'timely',
  description: 'TIMELY: rate from the RTT gradient, with low and high RTT thresholds.',
  params: {
    a: { default: 0.875, description: 'EWMA weight of the newest RTT difference', min: 0, max: 1 },
    beta: { default: 0.8, description: 'multiplicative decrease factor', min: 0, max: 1 },
    deltaMbps: { default: 10, description: 'additive increase step', min: 0 },
    tLowUs: { default: 50, description: 'below this RTT, always increase', min: 0 },
    tHighUs: { default: 500, description: 'above this RTT, always decrease', min: 0.001 },
    minRttUs: { default: 20, description: 'normalizes the gradient', min: 0.001 },
    hyperSteps: { default: 5, description: 'rounds of non-positive gradient before N x delta', min: 0 },
    hyperN: { default: 5, description: 'N: the larger increase step multiplier', min: 0 },
    minRateMbps: { default: 100, description: 'the rate never falls below this', min: 0.001 },
  },
  create: (p, ctx) => new Timely(p, ctx),
}

export class Timely implements CongestionControl {
  readonly name = 'timely'
  windowBytes = Infinity
  rateBps: number
  diffPs = 0
  private prevRttPs = -1
  private goodRounds = 0
  private nextUpdatePs = 0

  constructor(
    private readonly p: Record<string, number>,
    private readonly ctx: CcContext,
  ) {
    this.rateBps = ctx.lineRateBps
  }

  onAck(ack: AckInfo): void {
    const now = this.ctx.nowPs()
    if (now < this.nextUpdatePs) return
    this.nextUpdatePs = now + this.p.minRttUs! * 1e6
    this.update(ack.rttPs)
  }

  /** One TIMELY update with an RTT sample (exposed for tests). */
  update(rttPs: number): void {
    const p = this.p
    if (this.prevRttPs < 0) {
      this.prevRttPs = rttPs
      return
    }
    this.diffPs = (1 - p.a!) * this.diffPs + p.a! * (rttPs - this.prevRttPs)
    this.prevRttPs = rttPs
    const grad = this.diffPs / (p.minRttUs! * 1e6)
    const delta = p.deltaMbps! * 1e6
    const tLow = p.tLowUs! * 1e6
    const tHigh = p.tHighUs! * 1e6
    let r = this.rateBps
    if (rttPs < tLow) {
      r += delta
    } else if (rttPs > tHigh) {
      r *= 1 - p.beta! * (1 - tHigh / rttPs)
    } else if (grad <= 0) {
      this.goodRounds++
      r += this.goodRounds >= p.hyperSteps! ? p.hyperN! * delta : delta
    } else {
      this.goodRounds = 0
      r *= 1 - p.beta! * grad
    }
    this.rateBps = Math.min(this.ctx.lineRateBps, Math.max(p.minRateMbps! * 1e6, r))
  }
}
