import type { Trace, TraceOp } from './trace.ts'

export interface RingAllreduceOptions {
  ranks: number
  /** S: the all-reduce buffer per rank. */
  bytes: number
  /** Parallel rings, each on its own queue pair (NCCL channels); each carries S / channels. */
  channels?: number
  /**
   * Pipelining (NCCL's slices): each step's message goes as pieces of at most
   * this many bytes, and piece p of a step waits only for piece p of the step
   * before, not for the whole message. Default: one piece per message.
   */
  chunkBytes?: number
  placement?: number[]
  name?: string
}

/**
 * Ring all-reduce as NCCL runs it: reduce-scatter then all-gather, 2(N-1) steps.
 * At step k rank r sends chunk (r - k) mod N to rank r+1; that send waits for
 * what rank r received at step k-1 and for its own send of step k-1 (NCCL's
 * bounded buffer slots keep a rank from running ahead of its successor).
 * Each rank sends 2(N-1)/N x S in total. With `chunkBytes`, every step's
 * message is cut into the same number of pieces P (enough that the largest
 * message's pieces fit), and the dependencies hold piece by piece.
 */
export function genRingAllreduce(o: RingAllreduceOptions): Trace {
  const n = o.ranks
  const channels = o.channels ?? 1
  if (n < 2) throw new RangeError('ring all-reduce needs at least 2 ranks')
  if (o.bytes < n * channels) throw new RangeError(`bytes must be at least ranks x channels (${n * channels}) so every chunk has data`)
  const steps = 2 * (n - 1)
  const maxMessage = Math.ceil(Math.ceil(o.bytes / channels) / n)
  const minMessage = Math.floor(Math.floor(o.bytes / channels) / n)
  const pieces = o.chunkBytes === undefined ? 1 : Math.ceil(maxMessage / o.chunkBytes)
  if (o.chunkBytes !== undefined && (!Number.isInteger(o.chunkBytes) || o.chunkBytes < 1)) throw new RangeError(`chunk must be a whole number of bytes >= 1, got ${o.chunkBytes}`)
  if (pieces > minMessage) throw new RangeError(`a chunk of ${o.chunkBytes} bytes cuts ${minMessage}-byte messages into ${pieces} pieces, some empty; use a larger chunk`)
  const ops: TraceOp[] = []
  const id = (c: number, k: number, r: number, p: number) => ((c * steps + k) * n + r) * pieces + p
  for (let c = 0; c < channels; c++) {
    // Channel c carries its share of S, cut into N chunks (remainders spread over the first ones).
    const channelBytes = Math.floor(o.bytes / channels) + (c < o.bytes % channels ? 1 : 0)
    const chunk = (i: number) => Math.floor(channelBytes / n) + (i < channelBytes % n ? 1 : 0)
    for (let k = 0; k < steps; k++) {
      for (let r = 0; r < n; r++) {
        const message = chunk((((r - k) % n) + n) % n)
        for (let p = 0; p < pieces; p++) {
          const op: TraceOp = {
            id: id(c, k, r, p),
            src: r,
            dst: (r + 1) % n,
            bytes: Math.floor(message / pieces) + (p < message % pieces ? 1 : 0),
            deps: k === 0 ? [] : [id(c, k - 1, (r - 1 + n) % n, p), id(c, k - 1, r, p)],
          }
          if (channels > 1) op.channel = c
          ops.push(op)
        }
      }
    }
  }
  const trace: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: o.name ?? `ring-allreduce-${n}r-${o.bytes}B${channels > 1 ? `-${channels}ch` : ''}${pieces > 1 ? `-${o.chunkBytes}Bchunks` : ''}`,
    ranks: n,
    collective: { kind: 'allreduce', bytes: o.bytes, algorithm: 'ring', ...(pieces > 1 ? { chunkBytes: o.chunkBytes! } : {}) },
    ops,
  }
  if (o.placement) trace.placement = o.placement
  return trace
}
