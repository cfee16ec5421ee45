import type { TraceOp } from './trace.ts'

/**
 * Op id -> position in the trace. Generated and imported traces number their
 * ops 0..n-1 in order, and then need no table: a million-op trace would
 * otherwise carry a million-entry Map (tens of MB) just to say id i is at i.
 */
export class OpIndex {
  private constructor(
    private readonly n: number,
    private readonly map: Map<number, number> | null,
  ) {}

  static of(ops: readonly TraceOp[]): OpIndex {
    for (let i = 0; i < ops.length; i++) {
      if (ops[i]!.id !== i) return new OpIndex(ops.length, new Map(ops.map((op, k) => [op.id, k])))
    }
    return new OpIndex(ops.length, null)
  }

  /** Position of the op with this id, or -1. */
  at(id: number): number {
    if (this.map === null) return Number.isInteger(id) && id >= 0 && id < this.n ? id : -1
    return this.map.get(id) ?? -1
  }
}

/**
 * Who waits for whom, in two flat arrays (no array per op): the ops that
 * depend on op i are dependents[first[i] .. first[i+1]), in trace order.
 * Every dep must name an op of the trace.
 */
export interface OpGraph {
  first: Int32Array
  dependents: Int32Array
}

export function opGraph(ops: readonly TraceOp[], index: OpIndex): OpGraph {
  const n = ops.length
  const first = new Int32Array(n + 1)
  for (const op of ops) {
    for (const d of op.deps) {
      const at = index.at(d)
      // parseTrace refuses such traces; one built in code must not silently lose a dependency.
      if (at < 0) throw new RangeError(`op ${op.id} depends on op ${d}, which the trace does not have`)
      first[at + 1]!++
    }
  }
  for (let i = 0; i < n; i++) first[i + 1]! += first[i]!
  const fill = first.slice(0, n)
  const dependents = new Int32Array(first[n]!)
  for (let i = 0; i < n; i++) for (const d of ops[i]!.deps) dependents[fill[index.at(d)]!++] = i
  return { first, dependents }
}
