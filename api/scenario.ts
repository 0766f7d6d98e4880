/**
 * Scenarios for library users: a built-in name, a file, or an object from `defineScenario()`,
 * validated and defaulted the same way `pullstorm run` does.
 */

import { scenarioContext } from '../harness/backends/stub-engine.ts';
import { scenarioFiles } from '../harness/run/builtin.ts';
import { checkRunnable } from '../harness/run/preflight.ts';
import { loadScenarios } from '../harness/run/suite.ts';
import { applyDefaults } from '../harness/scenario/defaults.ts';
import { defineScenario, type ScenarioInput } from '../harness/scenario/index.ts';
import type { Scenario } from '../harness/scenario/resolved.ts';
import { validate } from '../harness/scenario/validate.ts';
import { ScenarioError } from '../vocab/problem.ts';

export { defineScenario, type Scenario, type ScenarioInput };

/** What {@link loadScenario} accepts: a built-in name (`'unknown-tag'`), a file path, or a scenario object. */
export type ScenarioSource = string | ScenarioInput;

/** A scenario checked and defaulted, with the file it came from (when it did). */
export interface LoadedScenario {
  scenario: Scenario;
  file?: string;
}

// Scenarios this module resolved: `runScenario` accepts them as they are, never validating twice.
const loaded = new WeakSet<object>();

/** True when `value` came from {@link loadScenario}. */
export function isLoadedScenario(value: unknown): value is LoadedScenario {
  return typeof value === 'object' && value !== null && loaded.has(value);
}

/**
 * Loads, validates and defaults a scenario.
 *
 * @example
 * ```ts
 * const builtIn = await loadScenario('unknown-tag');
 * const mine = await loadScenario('./scenarios/quota.yaml');
 * const inline = await loadScenario(defineScenario({ apiVersion: 'pullstorm.dev/v1alpha1', ... }));
 * ```
 * @throws ScenarioError (exit code 2) listing every problem, with line and column for YAML.
 */
export async function loadScenario(source: ScenarioSource): Promise<LoadedScenario> {
  if (typeof source === 'string') {
    const [file] = scenarioFiles([source]);
    const [result] = await loadScenarios([file!]);
    return remember({ scenario: result!.scenario, file: result!.file });
  }
  if (typeof source !== 'object' || source === null) {
    throw new TypeError(
      `loadScenario: expected a built-in name, a file path or a defineScenario() object, got ${source === null ? 'null' : typeof source}`,
    );
  }
  const result = validate(source, scenarioContext());
  if (!result.ok) throw new ScenarioError(result.problems);
  const scenario = applyDefaults(result.scenario);
  checkRunnable(scenario);
  return remember({ scenario });
}

function remember(value: LoadedScenario): LoadedScenario {
  loaded.add(value);
  return value;
}
