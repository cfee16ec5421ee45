export { Link } from './link.ts'
export { EgressPort, type EgressPortConfig, type PacketSource } from './egress-port.ts'
export { RedMarker, type EcnConfig } from './red-marker.ts'
