/**
 * Reading a scenario from a file: `.yaml`/`.yml` and `.json` are decoded strictly, a `.ts` (or
 * `.mts`, `.js`, `.mjs`) module's default export is taken as written with `defineScenario()`.
 * Problems come back as one `ScenarioError` naming the file, with a line and column where the
 * source is text. The only module here that touches the file system.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { ScenarioContext } from '../../vocab/context.ts';
import { type Problem, ScenarioError } from '../../vocab/problem.ts';
import { decodeScenario } from './decode.ts';
import { applyDefaults } from './defaults.ts';
import type { Scenario } from './resolved.ts';
import { validate } from './validate.ts';

const TEXT_FORMATS: Readonly<Record<string, 'yaml' | 'json'>> = { yaml: 'yaml', yml: 'yaml', json: 'json' };
const MODULE_EXTENSIONS = ['ts', 'mts', 'js', 'mjs'];

/** Validates and defaults scenario text; `file` only names the source in problems. */
export function loadScenarioText(
  text: string,
  format: 'yaml' | 'json',
  context: ScenarioContext,
  file?: string,
): Scenario {
  const decoded = decodeScenario(text, format);
  if (!decoded.ok) throw new ScenarioError(decoded.problems, file);
  // A bare number in YAML is almost always seconds meant; only TypeScript may say milliseconds.
  const result = validate(decoded.value, context, { durationNumbers: false });
  if (!result.ok) {
    // Sorted by position (stable), so problems read top to bottom like the file.
    const located = result.problems
      .map((p): Problem => ({ ...p, ...decoded.locate(p.path) }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ScenarioError(located, file);
  }
  return applyDefaults(result.scenario);
}

/** Loads, validates and defaults the scenario in `file`; throws a `ScenarioError` naming the file. */
export async function loadScenarioFile(file: string, context: ScenarioContext): Promise<Scenario> {
  const extension = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  const format = TEXT_FORMATS[extension];
  if (format !== undefined) return loadScenarioText(await read(file), format, context, file);
  if (!MODULE_EXTENSIONS.includes(extension)) {
    const expected = [...Object.keys(TEXT_FORMATS), ...MODULE_EXTENSIONS].map((e) => `.${e}`).join(', ');
    fail(file, `expected a file ending in ${expected}, got '${extension === '' ? file : `.${extension}`}'`);
  }
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    fail(file, `cannot import the module: ${(error as Error).message}`, error);
  }
  if (module.default === undefined)
    fail(file, 'expected a default export made with defineScenario(), got none');
  const result = validate(module.default, context);
  if (!result.ok) throw new ScenarioError(result.problems, file);
  return applyDefaults(result.scenario);
}

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    fail(file, `cannot read the file: ${(error as Error).message}`, error);
  }
}

function fail(file: string, message: string, cause?: unknown): never {
  throw new ScenarioError([{ path: '', message }], file, cause === undefined ? undefined : { cause });
}
