import type { AckInfo } from '../ack-info.ts'
import type { CcContext, CcDefinition, CongestionControl } from '../congestion-control.ts'

/**
 * NSCC (UEC's network-signal congestion control), REFERENCE.md: ECN and delay
 * together. No ECN and delay < target: proportional increase; no ECN, delay >=
 * target: fair (additive) increase; ECN, delay < target: leave the window (the
 * path is congested, not the flow: let path steering act); ECN, delay >=
 * target: at most once per base RTT, cwnd *= max(1 - 0.8 (avgDelay - target) / avgDelay, 0.5).
 * maxwnd about 1.5 BDP, target about one base RTT.
 */
export const nscc: CcDefinition = {
  name: 'nscc',
  description: 'NSCC (UEC): four-way rule on ECN x delay against a target near the base RTT.',
  needsEcn: true,
  params: {
    targetRtts: { default: 1.25, description: 'delay target, in base RTTs', min: 0.01 },
    maxWindowBdp: { default: 1.5, description: 'maxwnd, in BDPs', min: 0.01 },
    proportionalGain: { default: 1, description: 'proportional increase: bytes per acked byte at zero delay', min: 0 },
    fairIncreasePackets: { default: 1, description: 'fair increase per RTT, packets', min: 0 },
    mdGain: { default: 0.8, description: 'multiplicative decrease gain', min: 0, max: 1 },
    mdFloor: { default: 0.5, description: 'smallest multiplier of one decrease', min: 0.01, max: 1 },
    delayEwma: { default: 0.125, description: 'weight of a new sample in the average delay', min: 0.001, max: 1 },
  },
  create: (p, ctx) => new Nscc(p, ctx),
}

export class Nscc implements CongestionControl {
  readonly name = 'nscc'
  windowBytes: number
  rateBps: number
  avgDelayPs = 0
  private lastDecreasePs = -Infinity
  private readonly maxWindowBytes: number

  constructor(
    private readonly p: Record<string, number>,
    private readonly ctx: CcContext,
  ) {
    this.maxWindowBytes = (p.maxWindowBdp! * ctx.lineRateBps * ctx.baseRttPs) / 8e12
    this.windowBytes = Math.min(ctx.initialWindowBytes, this.maxWindowBytes)
    this.rateBps = ctx.lineRateBps
  }

  get targetPs(): number {
    return this.p.targetRtts! * this.ctx.baseRttPs
  }

  onAck(ack: AckInfo): void {
    this.react(ack.rttPs, ack.ecnEcho, ack.ackedBytes)
  }

  /** The four-way rule for one ACK (exposed for tests). */
  react(delayPs: number, ecn: boolean, ackedBytes: number): void {
    const p = this.p
    this.avgDelayPs = this.avgDelayPs === 0 ? delayPs : (1 - p.delayEwma!) * this.avgDelayPs + p.delayEwma! * delayPs
    const target = this.targetPs
    const mtu = this.ctx.mtuBytes
    let w = this.windowBytes
    if (!ecn && delayPs < target) {
      w += (p.proportionalGain! * ackedBytes * (target - delayPs)) / target
    } else if (!ecn) {
      w += (p.fairIncreasePackets! * mtu * ackedBytes) / w
    } else if (delayPs >= target) {
      const now = this.ctx.nowPs()
      if (now - this.lastDecreasePs >= this.ctx.baseRttPs) {
        const avg = Math.max(this.avgDelayPs, target)
        w *= Math.max(1 - (p.mdGain! * (avg - target)) / avg, p.mdFloor!)
        this.lastDecreasePs = now
      }
    }
    this.windowBytes = Math.min(this.maxWindowBytes, Math.max(mtu, w))
  }

  onTimeout(): void {
    this.windowBytes = this.ctx.mtuBytes
  }
}
