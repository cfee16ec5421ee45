import type { Trace, TraceOp } from './trace.ts'

export interface RingAllreduceOptions {
  ranks: number
  /** S: the all-reduce buffer per rank. */
  bytes: number
  /** Parallel rings, each on its own queue pair (NCCL channels); each carries S / channels. */
  channels?: number
  placement?: number[]
  name?: string
}

/**
 * Ring all-reduce as NCCL runs it: reduce-scatter then all-gather, 2(N-1) steps.
 * At step k rank r sends chunk (r - k) mod N to rank r+1; that send waits for
 * what rank r received at step k-1 and for its own send of step k-1 (NCCL's
 * bounded buffer slots keep a rank from running ahead of its successor).
 * Each rank sends 2(N-1)/N x S in total.
 */
export function genRingAllreduce(o: RingAllreduceOptions): Trace {
  const n = o.ranks
  const channels = o.channels ?? 1
  if (n < 2) throw new RangeError('ring all-reduce needs at least 2 ranks')
  if (o.bytes < n * channels) throw new RangeError(`bytes must be at least ranks x channels (${n * channels}) so every chunk has data`)
  const steps = 2 * (n - 1)
  const ops: TraceOp[] = []
  const id = (c: number, k: number, r: number) => (c * steps + k) * n + r
  for (let c = 0; c < channels; c++) {
    // Channel c carries its share of S, cut into N chunks (remainders spread over the first ones).
    const channelBytes = Math.floor(o.bytes / channels) + (c < o.bytes % channels ? 1 : 0)
    const chunk = (i: number) => Math.floor(channelBytes / n) + (i < channelBytes % n ? 1 : 0)
    for (let k = 0; k < steps; k++) {
      for (let r = 0; r < n; r++) {
        const op: TraceOp = {
          id: id(c, k, r),
          src: r,
          dst: (r + 1) % n,
          bytes: chunk((((r - k) % n) + n) % n),
          deps: k === 0 ? [] : [id(c, k - 1, (r - 1 + n) % n), id(c, k - 1, r)],
        }
        if (channels > 1) op.channel = c
        ops.push(op)
      }
    }
  }
  const trace: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: o.name ?? `ring-allreduce-${n}r-${o.bytes}B${channels > 1 ? `-${channels}ch` : ''}`,
    ranks: n,
    collective: { kind: 'allreduce', bytes: o.bytes, algorithm: 'ring' },
    ops,
  }
  if (o.placement) trace.placement = o.placement
  return trace
}
