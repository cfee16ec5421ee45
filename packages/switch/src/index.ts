export { Switch, type SwitchConfig } from './switch.ts'
export { LOAD_BALANCING_MODES, SPRAY_ORDERS, FLOWLET_PICKS, type LoadBalancing, type LoadBalancingConfig } from './load-balancing.ts'
export { SwitchBuffer, PFC_FRAME_WIRE_BYTES, type SwitchBufferConfig, type PfcConfig } from './switch-buffer.ts'
