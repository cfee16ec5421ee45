export { Switch, type SwitchConfig } from './switch.ts'
export { LOAD_BALANCING_MODES, type LoadBalancing } from './load-balancing.ts'
