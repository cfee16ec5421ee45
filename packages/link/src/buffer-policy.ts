import type { PacketId } from '@aifab/core'
import type { EgressPort } from './egress-port.ts'

/**
 * Who decides whether a switch may buffer a frame: a per-port limit, a shared
 * buffer with a dynamic threshold, PFC ingress accounting. The port asks before
 * queueing a frame and says when the frame leaves its queue.
 */
export interface BufferPolicy {
  /** May `pkt` join `port`'s queue? False: the port drops it. True: it is counted as queued (port.queuedBytes does not include it yet). */
  admit(pkt: PacketId, port: EgressPort): boolean
  /** `pkt` left `port`'s queue (its serialization started, or a failure flushed it); port.queuedBytes no longer includes it. */
  release(pkt: PacketId, port: EgressPort): void
}
