import type { CcContext, CcDefinition, CongestionControl } from '../congestion-control.ts'

/**
 * DCQCN (Zhu et al., SIGCOMM 2015) as Mellanox NICs run it, REFERENCE.md:
 * the receiver (NP) sends a CNP for CE-marked arrivals at most once per
 * cnpIntervalUs per flow; the sender (RP) cuts its rate on each CNP and
 * recovers on a timer and a byte counter: fast recovery, then additive, then
 * hyper increase. Rate-based: no window.
 */
export const dcqcn: CcDefinition = {
  name: 'dcqcn',
  description: 'DCQCN: rate cut on CNPs (alpha-weighted), fast recovery / additive / hyper increase on a timer and a byte counter.',
  cnpIntervalParam: 'cnpIntervalUs',
  needsEcn: true,
  params: {
    g: { default: 1 / 256, description: 'alpha gain', min: 0, max: 1 },
    cnpIntervalUs: { default: 50, description: 'NP: at most one CNP per flow per this interval', min: 0.001 },
    alphaTimerUs: { default: 55, description: 'K: alpha decays when no CNP came for this long', min: 0.001 },
    rateTimerUs: { default: 55, description: 'T: rate-increase timer (HPCC configs use 300)', min: 0.001 },
    byteCounterBytes: { default: 10 * 1024 * 1024, description: 'B: rate-increase byte counter', min: 1 },
    fastRecoverySteps: { default: 5, description: 'F: increase events of fast recovery before additive increase', min: 0 },
    rAiMbpsPer25G: { default: 5, description: 'additive increase, Mb/s per 25 Gb/s of line rate', min: 0 },
    rHaiMbpsPer25G: { default: 50, description: 'hyper increase, Mb/s per 25 Gb/s of line rate', min: 0 },
    minRateMbps: { default: 100, description: 'the rate never falls below this', min: 0.001 },
  },
  create: (p, ctx) => new Dcqcn(p, ctx),
}

const ALPHA_TIMER = 0
/** Rate-timer tags carry an epoch (1..1023): a CNP restarts the timer, and older ticks are ignored. */
const RATE_TIMER_BASE = 1

export class Dcqcn implements CongestionControl {
  readonly name = 'dcqcn'
  windowBytes = Infinity
  rateBps: number
  /** Target rate Rt, current rate Rc is rateBps. */
  targetBps: number
  alpha = 1
  timeStage = 0
  byteStage = 0
  private bytes = 0
  private cnpSinceAlphaTimer = false
  private epoch = 0
  private readonly lineBps: number
  private readonly rAiBps: number
  private readonly rHaiBps: number
  private readonly minBps: number

  constructor(
    private readonly p: Record<string, number>,
    private readonly ctx: CcContext,
  ) {
    this.lineBps = ctx.lineRateBps
    this.rateBps = this.targetBps = ctx.lineRateBps
    this.rAiBps = (p.rAiMbpsPer25G! * 1e6 * ctx.lineRateBps) / 25e9
    this.rHaiBps = (p.rHaiMbpsPer25G! * 1e6 * ctx.lineRateBps) / 25e9
    this.minBps = p.minRateMbps! * 1e6
    ctx.setTimer(p.alphaTimerUs! * 1e6, ALPHA_TIMER)
    ctx.setTimer(p.rateTimerUs! * 1e6, RATE_TIMER_BASE)
  }

  onAck(): void {}

  onCnp(): void {
    const g = this.p.g!
    this.targetBps = this.rateBps
    this.rateBps = Math.max(this.minBps, this.rateBps * (1 - this.alpha / 2))
    this.alpha = (1 - g) * this.alpha + g
    this.cnpSinceAlphaTimer = true
    // A rate decrease restarts the increase machinery.
    this.timeStage = 0
    this.byteStage = 0
    this.bytes = 0
    this.epoch = (this.epoch + 1) % 1023
    this.ctx.setTimer(this.p.rateTimerUs! * 1e6, RATE_TIMER_BASE + this.epoch)
  }

  onSend(payloadBytes: number): void {
    this.bytes += payloadBytes
    if (this.bytes >= this.p.byteCounterBytes!) {
      this.bytes -= this.p.byteCounterBytes!
      this.byteStage++
      this.increase()
    }
  }

  onTimer(tag: number): void {
    if (tag === ALPHA_TIMER) {
      if (!this.cnpSinceAlphaTimer) this.alpha = (1 - this.p.g!) * this.alpha
      this.cnpSinceAlphaTimer = false
      this.ctx.setTimer(this.p.alphaTimerUs! * 1e6, ALPHA_TIMER)
      return
    }
    if (tag !== RATE_TIMER_BASE + this.epoch) return
    this.timeStage++
    this.increase()
    this.ctx.setTimer(this.p.rateTimerUs! * 1e6, tag)
  }

  /** One increase event: fast recovery while both counters are below F, hyper increase once both exceed it, additive in between. */
  private increase(): void {
    const f = this.p.fastRecoverySteps!
    if (Math.min(this.timeStage, this.byteStage) > f) this.targetBps += this.rHaiBps
    else if (Math.max(this.timeStage, this.byteStage) >= f) this.targetBps += this.rAiBps
    if (this.targetBps > this.lineBps) this.targetBps = this.lineBps
    this.rateBps = (this.targetBps + this.rateBps) / 2
  }
}
