export { Link } from './link.ts'
export { EgressPort, PortEvent, type EgressPortConfig, type PacketSource } from './egress-port.ts'
export type { BufferPolicy } from './buffer-policy.ts'
export { RedMarker, type EcnConfig } from './red-marker.ts'
