/** The largest channel index a trace may use (queue pairs per rank pair). */
export const MAX_CHANNEL = 65535
/** Ranks a trace may have. */
export const MAX_RANKS = 1 << 20
/** 1 TiB: a message's packets must number well under 2^31 (PSNs are 32-bit). */
export const MAX_OP_BYTES = 2 ** 40
/** 1000 s: picosecond time stays exact (below 2^53 ps, about 2.5 hours) with room to run. */
export const MAX_START_NS = 1e12
/** The deps of every op that has none: one shared array, frozen so that no one can add to all of them at once. */
export const NO_DEPS = Object.freeze([]) as unknown as number[]

/** Collective kinds whose bus-bandwidth factor is known (nccl-tests definitions). */
export const COLLECTIVE_KINDS = ['allreduce', 'allgather', 'reducescatter', 'alltoall', 'broadcast', 'reduce'] as const
export type CollectiveKind = (typeof COLLECTIVE_KINDS)[number]

/** Metadata that lets a report compute algbw and busbw. */
export interface CollectiveInfo {
  kind: CollectiveKind
  /** The collective's size S as nccl-tests counts it (per-rank buffer). */
  bytes: number
  algorithm?: string
  /** Ring all-reduce pipelining: each step's message went in pieces of at most this size. */
  chunkBytes?: number
}

/**
 * One message from rank `src` to rank `dst`; or, with `kind: 'compute'`, a
 * rank busy for `durationNs` with no traffic (written `{"kind": "compute",
 * "rank": r, "durationNs": d}`; in memory src = dst = r and bytes = 0).
 */
export interface TraceOp {
  id: number
  kind?: 'compute'
  src: number
  dst: number
  bytes: number
  durationNs?: number
  /** Ops that must have completed (last byte at their receiver) before this one starts. */
  deps: number[]
  /** Earliest start, ns from the beginning of the run. */
  startNs?: number
  /** Connection (queue pair) index between src and dst; ops on one channel are sent in order. */
  channel?: number
  /** Index into the trace's `jobs`: which job this op belongs to. */
  job?: number
}

/** One of several jobs sharing the fabric: the report gives figures per job. */
export interface JobInfo {
  name: string
  /** Ranks the job's collective spans (for busbw); the trace's rank space is shared. */
  ranks?: number
  collective?: CollectiveInfo
}

/** Trace format v1 (JSON, or the same schema in msgpack). */
export interface Trace {
  format: 'aifab.trace'
  version: 1
  name: string
  ranks: number
  collective?: CollectiveInfo
  /** placement[rank] = host; ranks map to hosts in order when absent. */
  placement?: number[]
  /** Jobs sharing the fabric; every op then names its `job`. */
  jobs?: JobInfo[]
  ops: TraceOp[]
}

/** nccl-tests bus-bandwidth factor for `n` ranks. */
export function busBwFactor(kind: CollectiveKind, n: number): number {
  switch (kind) {
    case 'allreduce':
      return (2 * (n - 1)) / n
    case 'allgather':
    case 'reducescatter':
    case 'alltoall':
      return (n - 1) / n
    case 'broadcast':
    case 'reduce':
      return 1
  }
}
