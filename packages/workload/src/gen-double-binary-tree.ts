import type { Trace, TraceOp } from './trace.ts'

export interface DoubleBinaryTreeOptions {
  ranks: number
  /** S: the all-reduce buffer per rank; each tree reduces and broadcasts half. */
  bytes: number
  /** Pipelining: each tree's half goes in pieces of at most this many bytes. Default: one piece. */
  chunkBytes?: number
  placement?: number[]
  name?: string
}

/**
 * Double binary tree all-reduce (as NCCL's trees): two binary trees over the
 * ranks, each carrying half of S, the second the mirror image of the first
 * (tree position i is rank i in one, rank N-1-i in the other) so the ranks that
 * are leaves in one are inner nodes in the other. Per tree and piece: reduce
 * up (a node sends to its parent once every child's piece has arrived), then
 * broadcast down from the root (a node forwards once its parent's piece has
 * arrived). Pieces pipeline: piece p waits only for piece p. Each tree is its
 * own channel. Every rank sends 2(N-1)/N x S on average, as in a ring.
 */
export function genDoubleBinaryTreeAllreduce(o: DoubleBinaryTreeOptions): Trace {
  const n = o.ranks
  if (n < 2) throw new RangeError('a tree all-reduce needs at least 2 ranks')
  const half = [Math.ceil(o.bytes / 2), Math.floor(o.bytes / 2)]
  const pieces = o.chunkBytes === undefined ? 1 : Math.ceil(half[0]! / o.chunkBytes)
  if (half[1]! < pieces) throw new RangeError(`bytes must be at least 2 x pieces (${2 * pieces}) so every piece has data`)
  // Heap layout: position i has children 2i+1 and 2i+2, parent (i-1)/2.
  const parent = (i: number) => (i - 1) >> 1
  const children = (i: number) => [2 * i + 1, 2 * i + 2].filter((c) => c < n)
  const ops: TraceOp[] = []
  const up = new Map<string, number>()
  const down = new Map<string, number>()
  for (let t = 0; t < 2; t++) {
    const rank = (i: number) => (t === 0 ? i : n - 1 - i)
    for (let p = 0; p < pieces; p++) {
      const bytes = Math.floor(half[t]! / pieces) + (p < half[t]! % pieces ? 1 : 0)
      // Reduce: deepest positions first, so a node's children already have ids.
      for (let i = n - 1; i > 0; i--) {
        const id = ops.length
        up.set(`${t}/${p}/${i}`, id)
        ops.push({ id, src: rank(i), dst: rank(parent(i)), bytes, deps: children(i).map((c) => up.get(`${t}/${p}/${c}`)!), channel: t })
      }
      // Broadcast: the root once its children's pieces are in, others once their parent's is.
      for (let i = 0; i < n; i++) {
        const deps = i === 0 ? children(0).map((c) => up.get(`${t}/${p}/${c}`)!) : [down.get(`${t}/${p}/${i}`)!]
        for (const c of children(i)) {
          const id = ops.length
          down.set(`${t}/${p}/${c}`, id)
          ops.push({ id, src: rank(i), dst: rank(c), bytes, deps, channel: t })
        }
      }
    }
  }
  const trace: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: o.name ?? `allreduce-double-binary-tree-${n}r-${o.bytes}B${pieces > 1 ? `-${o.chunkBytes}Bchunks` : ''}`,
    ranks: n,
    collective: { kind: 'allreduce', bytes: o.bytes, algorithm: 'double-binary-tree', ...(pieces > 1 ? { chunkBytes: o.chunkBytes! } : {}) },
    ops,
  }
  if (o.placement) trace.placement = o.placement
  return trace
}
