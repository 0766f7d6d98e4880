/**
 * `validate()`: checks an untrusted value (decoded YAML/JSON, or a TypeScript object) against the
 * scenario model and reports every problem at once, each at its path, in the order the model
 * lists its fields (the file loader re-sorts them by line). Parts are checked in dependency order
 * — nodes, registries, images, workload, faults, expectations — so each cross-reference is
 * checked against the names declared before it.
 */

import type { Known, ScenarioContext, ValidateOptions } from '../../vocab/context.ts';
import { type Problem, ScenarioError } from '../../vocab/problem.ts';
import { Checker, duration, type Rule, str } from './check.ts';
import { applyDefaults, DEFAULTS } from './defaults.ts';
import { parseDuration } from './duration.ts';
import { API_VERSION, KIND, type ScenarioInput } from './model.ts';
import type { Scenario } from './resolved.ts';
import { checkBackend, label } from './validate-backend.ts';
import { checkExpectations } from './validate-expectations.ts';
import { checkFaults } from './validate-faults.ts';
import { checkImages, checkRegistries } from './validate-registries.ts';
import { checkWorkload } from './validate-workload.ts';
import { expandVariants, VARIANT_FIELDS } from './variants.ts';

// A variant may set every field but the document's kind and its own variants.
const TOP_FIELDS = ['apiVersion', 'kind', ...VARIANT_FIELDS, 'variants'];

/** The result of `validate()`: the input, typed (`null` may stand for an absent field), or every problem. */
export type ValidationResult = { ok: true; scenario: ScenarioInput } | { ok: false; problems: Problem[] };

/** A rule for a field that has exactly one allowed value. */
function exactly(expected: string): Rule<string> {
  return str(`'${expected}'`, (s) => s === expected);
}

/** Checks `input` against the model; fault names and causes come from `context`. */
export function validate(
  input: unknown,
  context: ScenarioContext,
  options: ValidateOptions = {},
): ValidationResult {
  const ck = new Checker(options.durationNumbers ?? true);
  const root = ck.mapping(input, '', TOP_FIELDS);
  if (!root) return { ok: false, problems: ck.problems };
  ck.field(root, '', 'apiVersion', exactly(API_VERSION), true);
  ck.field(root, '', 'kind', exactly(KIND), true);
  ck.field(root, '', 'name', label, true);
  ck.field(root, '', 'description', str());
  const timeout = ck.field(root, '', 'timeout', duration(true));
  const known: Known = {
    nodeGroups: [],
    ...(timeout !== undefined || root.timeout == null
      ? { timeoutMs: timeout ?? parseDuration(DEFAULTS.timeout) }
      : {}),
  };
  checkBackend(ck, root.backend, known);
  checkRegistries(ck, root.registries, known);
  checkImages(ck, root.images, known);
  checkWorkload(ck, root.workload, known);
  checkFaults(ck, root.faults, known, context);
  checkExpectations(ck, root.expectations, known, context);
  // Only the list's shape here: each variant is validated as a scenario of its own (load-variants.ts).
  const variants = expandVariants(root);
  if (variants !== undefined && variants.length > 0 && !('doc' in variants[0]!)) {
    for (const p of variants as Problem[]) ck.add(p.path, p.message);
  }
  return ck.problems.length > 0
    ? { ok: false, problems: ck.problems }
    : { ok: true, scenario: input as ScenarioInput };
}

/** Validates and applies defaults; throws a `ScenarioError` listing every problem. */
export function resolveScenario(
  input: unknown,
  context: ScenarioContext,
  options: ValidateOptions = {},
): Scenario {
  const result = validate(input, context, options);
  if (!result.ok) throw new ScenarioError(result.problems);
  return applyDefaults(result.scenario);
}
