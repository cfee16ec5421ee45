export { Switch, type SwitchConfig } from './switch.ts'
export { LOAD_BALANCING_MODES, type LoadBalancing } from './load-balancing.ts'
export { SwitchBuffer, PFC_FRAME_WIRE_BYTES, type SwitchBufferConfig, type PfcConfig } from './switch-buffer.ts'
