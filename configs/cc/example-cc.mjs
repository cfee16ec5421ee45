// An example congestion controller for aifab: `aifab replay ... --cc configs/cc/example-cc.mjs`.
//
// A module's default export is a factory (params, ctx) => controller. The
// controller is one object per queue pair with:
//   windowBytes  in-flight limit in payload bytes (Infinity: none)
//   rateBps      pacing rate in bits/s (ctx.lineRateBps: no pacing)
//   onAck(ack)   every ACK/NAK: ack.ackedBytes, ack.rttPs, ack.ecnEcho, ack.nack,
//                ack.intHops and ack.hopQlenBytes(i), ack.hopTxBytes(i), ...
// and optionally onCnp(), onNack(), onTimeout(), onTimer(tag), onSend(bytes).
// ctx gives lineRateBps, baseRttPs, mtuBytes, initialWindowBytes, hops, rng,
// nowPs() and setTimer(delayPs, tag). Rates and windows must stay positive.
//
// This one holds a fixed share of the line rate, and halves it for one base
// RTT after an ECN-marked ACK (set `backoff` to 0 to turn that off).

export const name = 'example-fraction'
export const description = 'Paces at a fixed fraction of line rate; optionally backs off after ECN marks.'
export const params = {
  fraction: { default: 0.5, description: 'share of the line rate to send at' },
  backoff: { default: 1, description: '1: halve the rate for one base RTT after an ECN echo' },
}

export default function create(p, ctx) {
  const steady = ctx.lineRateBps * p.fraction
  let calmAfterPs = 0
  return {
    name,
    windowBytes: Infinity,
    rateBps: steady,
    onAck(ack) {
      const now = ctx.nowPs()
      if (p.backoff && ack.ecnEcho) calmAfterPs = now + ctx.baseRttPs
      this.rateBps = now < calmAfterPs ? steady / 2 : steady
    },
  }
}
