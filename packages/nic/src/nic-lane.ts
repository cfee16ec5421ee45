import type { PacketId } from '@aifab/core'
import type { EgressPort, PacketSource } from '@aifab/link'

/** What a lane asks of its NIC when one of its ports is free. */
export interface LaneOwner {
  pullFrom(lane: NicLane): PacketId
}

/**
 * One transmit ring of a NIC and the ports that drain it. A plain host has one
 * lane with one port. A multi-plane NIC whose packets are striped across planes
 * has one lane with a port per plane (whichever port is free takes the next
 * packet); one whose queue pairs are pinned to a plane has a lane per plane; an
 * NVLink path is a lane of its own. Every NIC port's source is a lane, so the
 * port's pull call site sees one shape.
 */
export class NicLane implements PacketSource {
  /** Ids of the queue pairs waiting to send, oldest first (a power-of-two ring). */
  ring = new Int32Array(16)
  head = 0
  count = 0
  readonly ports: EgressPort[] = []

  constructor(private readonly owner: LaneOwner) {}

  pull(): PacketId {
    return this.owner.pullFrom(this)
  }

  push(qpId: number): void {
    if (this.count === this.ring.length) {
      const bigger = new Int32Array(this.ring.length * 2)
      for (let i = 0; i < this.count; i++) bigger[i] = this.ring[(this.head + i) & (this.ring.length - 1)]!
      this.ring = bigger
      this.head = 0
    }
    this.ring[(this.head + this.count) & (this.ring.length - 1)] = qpId
    this.count++
  }

  /** The port a control frame (ACK, NAK, CNP) leaves by: spread over the lane's ports by PSN. */
  portFor(psn: number): EgressPort {
    return this.ports.length === 1 ? this.ports[0]! : this.ports[psn % this.ports.length]!
  }
}
