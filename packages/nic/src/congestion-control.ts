import type { Rng } from '@aifab/core'
import type { AckInfo } from './ack-info.ts'

/**
 * A congestion controller: one object per queue pair that reacts to feedback
 * and sets a pacing rate and/or a window. Built-ins and user modules implement
 * the same shape. The NIC checks both after every call: the rate must be a
 * positive finite number of bits/s, the window a positive number of payload
 * bytes (Infinity: no window).
 */
export interface CongestionControl {
  readonly name: string
  /** In-flight limit, payload bytes (Infinity: none). */
  windowBytes: number
  /** Pacing rate, bits/s (the line rate: no pacing). */
  rateBps: number
  /** Every ACK or NAK: bytes newly acknowledged, RTT sample, ECN echo, INT records of the path. */
  onAck(ack: AckInfo): void
  /** A congestion notification packet (DCQCN's NP sends them for CE-marked arrivals). */
  onCnp?(): void
  /** A NAK: a packet was lost or trimmed. */
  onNack?(): void
  /** The retransmission timeout fired. */
  onTimeout?(): void
  /** A timer asked for with ctx.setTimer. */
  onTimer?(tag: number): void
  /** A data packet of `payloadBytes` left the NIC (byte counters). */
  onSend?(payloadBytes: number): void
}

/** What a controller knows of its flow and may do. */
export interface CcContext {
  lineRateBps: number
  /** Round trip of an MTU packet and its ACK over the longest path, queues empty. */
  baseRttPs: number
  mtuBytes: number
  /** The profile's fixed window (windowBdp x BDP): a starting point for window-based controllers. */
  initialWindowBytes: number
  /** Switch hops of this flow's path. */
  hops: number
  /** This queue pair's own seeded stream. */
  rng: Rng
  nowPs(): number
  /**
   * Calls onTimer(tag) after delayPs (tag: an integer 0..1023). A timer that
   * comes due while the flow has nothing outstanding waits, and fires
   * `delayPs` after the flow's next message is posted: periodic timers do not
   * keep an idle run alive.
   */
  setTimer(delayPs: number, tag: number): void
}

export type CcFactory = (params: Record<string, number>, ctx: CcContext) => CongestionControl

/** A parameter of a controller: its default and what it means. */
export interface CcParam {
  default: number
  description: string
  /** Allowed range (inclusive); a value outside is an input error. */
  min?: number
  max?: number
}

/** A controller as the registry (or a user module) describes it. */
export interface CcDefinition {
  name: string
  description: string
  params: Record<string, CcParam>
  /** DCQCN's notification point: the receiver sends a CNP for CE-marked arrivals, at most once per this many us per flow. */
  cnpIntervalParam?: string
  /** Needs INT records in ACKs (the profile must enable switch.int). */
  needsInt?: boolean
  /** Needs ECN marks (the profile must enable switch.ecn). */
  needsEcn?: boolean
  create: CcFactory
}

/** A controller broke its contract: threw, or set a rate or window that is not a positive number. */
export class CcError extends Error {
  constructor(
    readonly module: string,
    readonly queuePair: number,
    readonly event: string,
    detail: string,
  ) {
    super(`congestion control ${module}, queue pair ${queuePair}, on ${event}: ${detail}`)
    this.name = 'CcError'
  }
}
