import type { EntropyPolicyName } from './entropy-policy.ts'

/**
 * How a receiving NIC treats packets that arrive out of order.
 * - `go-back-n` (RoCE): only the expected PSN is accepted; anything later is
 *   discarded and answered with one NAK per gap; the sender rewinds to it.
 * - `reorder` (out-of-order placement): any PSN inside a bounded tracking window
 *   is accepted and remembered in a bitmap; the receiver NACKs a hole that
 *   packets far beyond it have overtaken, and the sender resends that PSN.
 * - `selective` (selective repeat, IRN / UEC): placement as in reorder, and
 *   every ACK carries a 64-bit SACK bitmap after the cumulative PSN; the sender
 *   keeps a scoreboard and resends a hole once enough SACKed packets lie above it.
 */
export const RELIABILITY_MODES = ['go-back-n', 'reorder', 'selective'] as const
export type ReliabilityMode = (typeof RELIABILITY_MODES)[number]

export interface NicConfig {
  mode: ReliabilityMode
  /** Payload bytes per packet (headers are added on the wire). */
  mtuBytes: number
  lineRateBps: number
  /** In-flight limit of one queue pair, in payload bytes (the fixed-window congestion control). */
  windowBytes: number
  /** The receiver acknowledges every this many accepted packets (and at each message end). */
  ackEveryPackets: number
  /** Retransmission timeout: no progress for this long and the sender resends from the oldest unacknowledged PSN. */
  rtoPs: number
  /** Consecutive timeouts after which a queue pair gives up and its messages stay undelivered. */
  retryLimit: number
  /** A NAK for the same missing PSN is repeated at most once per this interval. */
  nakIntervalPs: number
  /** `reorder` mode: PSNs tracked beyond the next expected one; later arrivals are dropped and NACKed. */
  reorderWindowPackets: number
  /** DCQCN's notification point: at most one CNP per flow per this interval for CE-marked arrivals; 0: no CNPs. */
  cnpIntervalPs: number
  /** Wire bytes of one INT record (echoed in ACKs); 0 when the fabric stamps none. */
  intBytesPerRecord: number
  entropyPolicy: EntropyPolicyName
  /** oblivious: values cycled through; reps: good values remembered. */
  entropyValues: number
  /** The congestion controller's name (its module's `name` export, or its file name): what a controller error names when the controller object carries no name of its own. */
  ccName: string
  /** `reorder`: a hole is NACKed once a packet this many PSNs beyond it has arrived; `selective`: resent once this many SACKed packets lie above it. */
  reorderNackThresholdPackets: number
}
