import type { AckInfo } from '../ack-info.ts'
import type { CcDefinition, CongestionControl } from '../congestion-control.ts'

/** A fixed window at a fixed rate, deaf to feedback. */
export class FixedWindow implements CongestionControl {
  constructor(
    public windowBytes: number,
    public rateBps: number,
    readonly name = 'none',
  ) {}
  onAck(_ack: AckInfo): void {}
}

/** `none`: the profile's fixed window (windowBdp x BDP) at line rate. */
export const none: CcDefinition = {
  name: 'none',
  description: 'A fixed window (windowBdp x BDP) at line rate; ignores all feedback.',
  params: {},
  create: (_params, ctx) => new FixedWindow(ctx.initialWindowBytes, ctx.lineRateBps),
}
