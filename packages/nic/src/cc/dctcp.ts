import type { AckInfo } from '../ack-info.ts'
import type { CcContext, CcDefinition, CongestionControl } from '../congestion-control.ts'

/**
 * DCTCP (Alizadeh et al., SIGCOMM 2010), REFERENCE.md: once per RTT,
 * F = marked / total ACKs, alpha = (1-g) alpha + g F, and W = W (1 - alpha/2)
 * if any ACK of that RTT was marked, else W + one MTU. Window-based, at line rate.
 */
export const dctcp: CcDefinition = {
  name: 'dctcp',
  description: 'DCTCP: window cut in proportion to the fraction of ECN-marked ACKs per RTT, additive increase otherwise.',
  needsEcn: true,
  params: {
    g: { default: 1 / 16, description: 'alpha gain', min: 0, max: 1 },
    minWindowPackets: { default: 1, description: 'the window never falls below this many MTUs', min: 0.01 },
  },
  create: (p, ctx) => new Dctcp(p, ctx),
}

export class Dctcp implements CongestionControl {
  readonly name = 'dctcp'
  windowBytes: number
  rateBps: number
  alpha = 1
  private acks = 0
  private marked = 0
  private roundEndPsn = -1

  constructor(
    private readonly p: Record<string, number>,
    private readonly ctx: CcContext,
  ) {
    this.windowBytes = ctx.initialWindowBytes
    this.rateBps = ctx.lineRateBps
  }

  onAck(ack: AckInfo): void {
    // F counts packets: an ACK may cover several, some of them CE-marked.
    const packets = Math.max(1, Math.round(ack.ackedBytes / this.ctx.mtuBytes))
    this.acks += packets
    this.marked += Math.min(packets, ack.ceMarkedPackets)
    if (this.roundEndPsn < 0) this.roundEndPsn = ack.nextPsn
    if (ack.ackPsn < this.roundEndPsn) return
    // One round trip of ACKs: update alpha and the window from the marked fraction of packets.
    this.endRound(this.marked / this.acks, this.marked > 0)
    this.acks = 0
    this.marked = 0
    this.roundEndPsn = ack.nextPsn
  }

  /** The per-RTT rule, given the round's marked fraction (exposed for tests). */
  endRound(fraction: number, anyMarked: boolean): void {
    const g = this.p.g!
    this.alpha = (1 - g) * this.alpha + g * fraction
    const mtu = this.ctx.mtuBytes
    if (anyMarked) this.windowBytes = Math.max(this.p.minWindowPackets! * mtu, this.windowBytes * (1 - this.alpha / 2))
    else this.windowBytes += mtu
  }

  onTimeout(): void {
    this.windowBytes = this.p.minWindowPackets! * this.ctx.mtuBytes
  }
}
