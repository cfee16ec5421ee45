export { Nic, type MessageListener } from './nic.ts'
export { QueuePair } from './queue-pair.ts'
export { RELIABILITY_MODES, type ReliabilityMode, type NicConfig } from './nic-config.ts'
export { FixedWindow, type CongestionControl } from './congestion-control.ts'
