/**
 * Loading a scenario file that may declare `variants:`: one scenario per variant (validated and
 * defaulted like any scenario, problems prefixed with the variant), or the file's one scenario.
 * YAML and JSON only; a TypeScript module's variants are not read in this build.
 */
import { readFile } from 'node:fs/promises';
import type { ScenarioContext } from '../../vocab/context.ts';
import { ScenarioError } from '../../vocab/problem.ts';
import { decodeScenario } from './decode.ts';
import { applyDefaults } from './defaults.ts';
import { loadScenarioFile } from './load.ts';
import type { Scenario } from './resolved.ts';
import { validate } from './validate.ts';
import { expandVariants } from './variants.ts';

/** A loaded scenario, and the variant it is when it is one. */
export interface LoadedVariant {
  scenario: Scenario;
  /** The scenario's own name and the variant's; absent for a file without variants. */
  variant?: { of: string; name: string };
}

/** Every scenario `file` declares: its variants, or itself. */
export async function loadScenarioVariants(file: string, context: ScenarioContext): Promise<LoadedVariant[]> {
  const format = /\.ya?ml$/i.test(file) ? 'yaml' : /\.json$/i.test(file) ? 'json' : undefined;
  if (format === undefined) return [{ scenario: await loadScenarioFile(file, context) }];
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const decoded = text === undefined ? undefined : decodeScenario(text, format);
  const expanded = decoded?.ok ? expandVariants(decoded.value) : undefined;
  if (expanded === undefined) return [{ scenario: await loadScenarioFile(file, context) }];
  if (expanded.length > 0 && !('doc' in expanded[0]!)) throw new ScenarioError(expanded as never, file);
  const problems = [];
  const loaded: LoadedVariant[] = [];
  for (const v of expanded as Extract<typeof expanded, { doc: unknown }[]>) {
    const result = validate(v.doc, context, { durationNumbers: false });
    if (!result.ok) {
      problems.push(...result.problems.map((p) => ({ ...p, path: `variant ${v.variant}: ${p.path}` })));
      continue;
    }
    loaded.push({ scenario: applyDefaults(result.scenario), variant: { of: v.of, name: v.variant } });
  }
  if (problems.length > 0) throw new ScenarioError(problems, file);
  return loaded;
}
