/** A packet is an index into the PacketPool, never an object. */
export type PacketId = number

/** Every stage of the packet path (port, link, switch, NIC) is a PacketSink. */
export interface PacketSink {
  receive(pkt: PacketId): void
}
