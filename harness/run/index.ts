/**
 * The runner: a scenario from provisioning to reports (`runScenario`), several in a row
 * (`loadScenarios` + `runScenarios`), the built-in library (`BUILTINS`), and `cleanRuns` for what
 * killed runs left. See README.md for the data flow of one run and the choices made.
 */
export { type Action, ActionStack, type Undo } from '../backends/actions.ts';
export { BALLAST, nodeFaultTargets } from '../backends/embedded/node-faults.ts';
export { SANDBOX_HOST, SANDBOX_IMAGE, sandboxImage } from '../backends/embedded/nodes.ts';
export {
  DEFAULT_RUNS_DIR,
  newRunId,
  podImage,
  pullSecretName,
  pullSecrets,
  REGISTRY_DOMAIN,
  REGISTRY_PORT,
  RUN_MARKER,
  type RunMarker,
  registryHost,
  runOutDir,
  stateRoot,
} from '../backends/names.ts';
export {
  expectedCausesOf,
  faultPlace,
  type Stub,
  type StubOptions,
  scenarioContext,
  startStub,
} from '../backends/stub-engine.ts';
export {
  BUILTINS,
  type BuiltinScenario,
  builtinFile,
  SCENARIOS_DIR,
  type SuiteName,
  scenarioFiles,
  suiteFiles,
} from './builtin.ts';
export { type CleanOptions, type CleanReport, cleanRuns } from './clean.ts';
export { environmentOf } from './environment.ts';
export { type ObserveEnd, RECOVERY_LAG_MS, SETTLE_MS, STABLE_MS, settleWindowMs } from './observe.ts';
export { checkEnvironment, checkRunnable, EnvironmentError, onPath } from './preflight.ts';
export { createProgress, type Progress, type ProgressOptions } from './progress.ts';
export {
  analyzeEvents,
  type RunResult,
  type RunScenarioOptions,
  renderRun,
  runScenario,
} from './runner.ts';
export { Interrupted, runSignal } from './signals.ts';
export {
  type LoadedScenario,
  loadScenarios,
  runScenarios,
  type SuiteEntry,
  suiteTable,
  worstExitCode,
} from './suite.ts';
export { podTemplate } from './timeline.ts';
