/**
 * The scenario model: what a pullstorm run does, as typed TypeScript (`defineScenario()`) or
 * YAML/JSON with `apiVersion: pullstorm.dev/v1alpha1`, decoded strictly, validated with every
 * problem reported at once, then defaulted into a `Scenario` the runner consumes.
 */
export type { FaultDefinition, ScenarioContext, ValidateOptions } from '../../vocab/context.ts';
export { at, type Problem, renderProblems, ScenarioError } from '../../vocab/problem.ts';
export { type DecodeResult, decodeScenario, type Position } from './decode.ts';
export { applyDefaults, DEFAULTS, defaultFaultId, nodeNames } from './defaults.ts';
export { DURATION_EXAMPLES, formatDuration, parseDuration } from './duration.ts';
export {
  EXPECTATION_TYPES,
  type Expectation,
  type ExpectationInput,
  PERCENTILES,
  type Percentile,
  WAITING_REASONS,
  type WaitingReason,
} from './expectations.ts';
export { loadScenarioFile, loadScenarioText } from './load.ts';
export {
  type AccessInput,
  type Action,
  API_VERSION,
  type AuthInput,
  type BackendInput,
  type BackendType,
  type Duration,
  defineScenario,
  type FaultInput,
  type FaultOptionsMap,
  type FaultScopeInput,
  type FixturesInput,
  type ImageAliasInput,
  KIND,
  type KubeletInput,
  type MirrorInput,
  type MirrorType,
  type NodeInput,
  type NodeKind,
  type PullPolicy,
  type RegistryInput,
  type Route,
  type ScenarioInput,
  type Size,
  type UserInput,
  type WorkloadInput,
} from './model.ts';
export { parseSize } from './quantity.ts';
export { defaultPullPolicy, type ImageRef, parseImageRef } from './refs.ts';
export type {
  Access,
  Backend,
  Fault,
  FaultScope,
  KubeletSettings,
  Mirror,
  Node,
  Registry,
  RegistryAuth,
  Scenario,
  Workload,
} from './resolved.ts';
export { resolveScenario, type ValidationResult, validate } from './validate.ts';
