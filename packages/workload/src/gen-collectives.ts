import type { CollectiveKind, Trace, TraceOp } from './trace.ts'

/** Options every generator takes. */
export interface CollectiveOptions {
  ranks: number
  /** The collective's size S as nccl-tests counts it. */
  bytes: number
  placement?: number[]
  name?: string
}

/** Splits `total` bytes into `parts` near-equal integers (the first ones take the remainder). */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0))
}

function trace(kind: CollectiveKind, algorithm: string, o: CollectiveOptions, ops: TraceOp[]): Trace {
  const t: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: o.name ?? `${kind}-${algorithm}-${o.ranks}r-${o.bytes}B`,
    ranks: o.ranks,
    collective: { kind, bytes: o.bytes, algorithm },
    ops: ops.filter((op) => op.bytes > 0),
  }
  if (o.placement) t.placement = o.placement
  return t
}

/**
 * A ring pass of N-1 steps, as in NCCL's all-gather and reduce-scatter (and
 * either half of a ring all-reduce): at step k rank r sends chunk (r - k) mod N
 * of S/N to rank r+1, after what it received at step k-1 and its own step k-1 send.
 * Each rank sends (N-1)/N x S.
 */
function ringPass(kind: 'allgather' | 'reducescatter', o: CollectiveOptions): Trace {
  const n = o.ranks
  const chunks = split(o.bytes, n)
  const steps = n - 1
  const id = (k: number, r: number) => k * n + r
  const ops: TraceOp[] = []
  for (let k = 0; k < steps; k++) {
    for (let r = 0; r < n; r++) {
      ops.push({
        id: id(k, r),
        src: r,
        dst: (r + 1) % n,
        bytes: chunks[(((r - k) % n) + n) % n]!,
        deps: k === 0 ? [] : [id(k - 1, (r - 1 + n) % n), id(k - 1, r)],
      })
    }
  }
  return trace(kind, 'ring', o, ops)
}

export const genAllgather = (o: CollectiveOptions): Trace => ringPass('allgather', o)
export const genReducescatter = (o: CollectiveOptions): Trace => ringPass('reducescatter', o)

/**
 * Halving-doubling all-reduce (Rabenseifner), N a power of two: log2 N steps of
 * recursive-halving reduce-scatter (S/2, S/4, ..., S/N exchanged with the rank
 * at distance N/2, N/4, ..., 1), then the same steps in reverse for the
 * all-gather. Each rank sends 2(N-1)/N x S; each step waits for the partner's
 * previous message and the rank's own.
 */
export function genHalvingDoublingAllreduce(o: CollectiveOptions): Trace {
  const n = o.ranks
  const levels = Math.log2(n)
  if (!Number.isInteger(levels) || n < 2) throw new RangeError(`halving-doubling needs a power-of-two number of ranks, got ${n}`)
  const steps = 2 * levels
  const id = (k: number, r: number) => k * n + r
  const ops: TraceOp[] = []
  for (let k = 0; k < steps; k++) {
    // Reduce-scatter distances N/2 .. 1, then all-gather 1 .. N/2.
    const level = k < levels ? k : steps - 1 - k
    const distance = n >> (level + 1)
    const bytes = Math.floor(o.bytes / 2 ** (level + 1))
    for (let r = 0; r < n; r++) {
      const partner = r ^ distance
      const prevPartner = k === 0 ? -1 : r ^ (n >> ((k - 1 < levels ? k - 1 : steps - k) + 1))
      ops.push({ id: id(k, r), src: r, dst: partner, bytes, deps: k === 0 ? [] : [id(k - 1, prevPartner), id(k - 1, r)] })
    }
  }
  return trace('allreduce', 'halving-doubling', o, ops)
}

/** All-to-all (MoE dispatch): every rank sends S/N to every other rank, all at once. Each rank sends (N-1)/N x S. */
export function genAlltoall(o: CollectiveOptions): Trace {
  const n = o.ranks
  const parts = split(o.bytes, n)
  const ops: TraceOp[] = []
  for (let r = 0; r < n; r++) {
    for (let j = 1; j < n; j++) {
      const d = (r + j) % n
      ops.push({ id: r * n + d, src: r, dst: d, bytes: parts[d]!, deps: [] })
    }
  }
  return trace('alltoall', 'direct', o, ops)
}

/**
 * Broadcast from rank 0 along a chain 0 -> 1 -> ... -> N-1, pipelined in
 * `pieces` pieces: piece p moves on once it has arrived. Every rank but the
 * last sends S.
 */
export function genBroadcast(o: CollectiveOptions & { pieces?: number }): Trace {
  const n = o.ranks
  const pieces = split(o.bytes, Math.max(1, Math.min(o.pieces ?? 8, o.bytes)))
  const ops: TraceOp[] = []
  const id = (p: number, r: number) => p * n + r
  pieces.forEach((bytes, p) => {
    for (let r = 0; r < n - 1; r++) {
      const deps: number[] = []
      if (r > 0) deps.push(id(p, r - 1))
      if (p > 0) deps.push(id(p - 1, r))
      ops.push({ id: id(p, r), src: r, dst: r + 1, bytes, deps })
    }
  })
  return trace('broadcast', 'chain', o, ops)
}

/** Incast: ranks 1..N-1 each send `bytes` to rank 0 at once (no collective metadata: flow goodput is the figure). */
export function genIncast(o: { ranks: number; bytes: number; placement?: number[]; name?: string }): Trace {
  const t: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: o.name ?? `incast-${o.ranks - 1}to1-${o.bytes}B`,
    ranks: o.ranks,
    ops: Array.from({ length: o.ranks - 1 }, (_, i) => ({ id: i, src: i + 1, dst: 0, bytes: o.bytes, deps: [] })),
  }
  if (o.placement) t.placement = o.placement
  return t
}
