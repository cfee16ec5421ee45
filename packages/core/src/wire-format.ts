// RoCEv2 framing, in bytes on the wire (REFERENCE.md, "Wire overheads").
// Serialization always counts these: a port's rate is spent on wire bytes.

/** Preamble + start delimiter (8) and the minimum inter-frame gap (12). */
export const PREAMBLE_AND_GAP_BYTES = 20
export const ETHERNET_HEADER_BYTES = 14
export const ETHERNET_FCS_BYTES = 4
export const IPV4_HEADER_BYTES = 20
export const UDP_HEADER_BYTES = 8
export const IB_BTH_BYTES = 12
export const IB_ICRC_BYTES = 4
/** RDMA extended transport header, on the first packet of a WRITE. */
export const IB_RETH_BYTES = 16
/** ACK extended transport header, on ACK and NAK frames. */
export const IB_AETH_BYTES = 4

/**
 * What a cut-through switch must have received before it can forward: the
 * preamble and the first 64 bytes of the frame (Ethernet, IP, UDP headers).
 */
export const CUT_THROUGH_HEADER_BYTES = 8 + 64

/** Everything a data packet carries besides its payload: 82 bytes. */
export const DATA_OVERHEAD_BYTES =
  PREAMBLE_AND_GAP_BYTES +
  ETHERNET_HEADER_BYTES +
  ETHERNET_FCS_BYTES +
  IPV4_HEADER_BYTES +
  UDP_HEADER_BYTES +
  IB_BTH_BYTES +
  IB_ICRC_BYTES

/** A trimmed data packet: its headers only, payload cut away. */
export const TRIMMED_WIRE_BYTES = DATA_OVERHEAD_BYTES

/** An ACK/NAK frame on the wire: 86 bytes (its 66-byte frame exceeds Ethernet's 64-byte minimum). */
export const ACK_WIRE_BYTES = DATA_OVERHEAD_BYTES + IB_AETH_BYTES

/** Wire size of a data packet carrying `payloadBytes`; the first of a message also carries RETH. */
export function dataWireBytes(payloadBytes: number, firstOfMessage: boolean): number {
  return payloadBytes + DATA_OVERHEAD_BYTES + (firstOfMessage ? IB_RETH_BYTES : 0)
}
