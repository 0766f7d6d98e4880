/**
 * pullstorm's public API: everything a program or a test suite needs, and nothing else. The rest of
 * the package is internal and may change in any release.
 *
 * @example
 * ```ts
 * import { runScenario } from 'pullstorm';
 * const result = await runScenario('unknown-tag');
 * if (result.verdict !== 'pass') process.exitCode = result.exitCode;
 * ```
 */
export type { Analysis, ExpectationResult, FaultAnalysis, Percentiles } from '../harness/analyze/types.ts';
export { type Classification, classify } from '../harness/classify/classify.ts';
export { type ExplainResult, type Explanation, explain } from '../harness/classify/explain.ts';
export { type ReportPaths, writeReports } from '../reports/write.ts';
export { EnvironmentError, EXIT, Interrupted, PullstormError, ScenarioError, UsageError } from './errors.ts';
export {
  type FaultScope,
  type FaultSpec,
  fault,
  type RegistryOptions,
  type RunningRegistry,
  startRegistry,
} from './registry.ts';
export { type RunOptions, type RunResult, runScenario } from './run.ts';
export {
  defineScenario,
  type LoadedScenario,
  loadScenario,
  type Scenario,
  type ScenarioInput,
  type ScenarioSource,
} from './scenario.ts';
