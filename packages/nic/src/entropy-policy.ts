import type { QueuePair } from './queue-pair.ts'

/**
 * Which entropy (UDP source port) a NIC writes into each data packet. Switches
 * hash it with ECMP (core's ecmpHash), so varying it per packet sprays a queue
 * pair over paths without any switch support (REFERENCE.md, entropy spraying).
 * - `fixed`: one value per queue pair: every packet takes the same path (RoCE).
 * - `oblivious`: round robin over `entropyValues` values.
 * - `reps` (UEC): reuse the entropies whose ACKs came back without ECN (at most
 *   `entropyValues` remembered); when none is waiting, explore a new one.
 */
export const ENTROPY_POLICIES = ['fixed', 'oblivious', 'reps'] as const
export type EntropyPolicyName = (typeof ENTROPY_POLICIES)[number]

export interface EntropyPolicy {
  /** The entropy for the next data packet of `qp`. */
  next(qp: QueuePair): number
  /** An ACK for a packet sent with `entropy` came back, ECN-marked or not. */
  feedback(qp: QueuePair, entropy: number, ecnMarked: boolean): void
}

export function entropyPolicy(name: EntropyPolicyName, values: number): EntropyPolicy {
  switch (name) {
    case 'fixed':
      return { next: (qp) => qp.entropy, feedback: () => {} }
    case 'oblivious':
      return {
        next: (qp) => {
          const k = qp.entropyCounter
          qp.entropyCounter = k + 1 === values ? 0 : k + 1
          return (qp.entropy + k) | 0
        },
        feedback: () => {},
      }
    case 'reps':
      return new Reps(values)
  }
}

class Reps implements EntropyPolicy {
  constructor(private readonly capacity: number) {}

  next(qp: QueuePair): number {
    const buf = qp.recycled
    if (buf !== null && qp.recycledCount > 0) {
      const e = buf[qp.recycledHead]!
      qp.recycledHead = (qp.recycledHead + 1) % buf.length
      qp.recycledCount--
      return e
    }
    // Explore: a value this queue pair has not used yet.
    return (qp.entropy + ++qp.entropyCounter) | 0
  }

  feedback(qp: QueuePair, entropy: number, ecnMarked: boolean): void {
    if (ecnMarked) return
    let buf = qp.recycled
    if (buf === null) buf = qp.recycled = new Int32Array(this.capacity)
    if (qp.recycledCount === buf.length) {
      // Full: forget the oldest good entropy.
      qp.recycledHead = (qp.recycledHead + 1) % buf.length
      qp.recycledCount--
    }
    buf[(qp.recycledHead + qp.recycledCount) % buf.length] = entropy
    qp.recycledCount++
  }
}
