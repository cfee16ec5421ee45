export { runScenario, type Scenario, type ScenarioRun } from './run-scenario.ts'
export { loadTopology, loadProfile, readJson, PROFILE_FLAGS, type ProfileOverrides } from './load-config.ts'
export { main } from './main.ts'
export { EXIT } from './run-command.ts'
