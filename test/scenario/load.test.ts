import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioText, ScenarioError } from '../../harness/scenario/index.ts';
import { testContext } from './context.ts';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function failure(file: string): Promise<ScenarioError> {
  const error = await loadScenarioFile(file, testContext).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}

describe('loadScenarioFile', () => {
  it("loads a .ts module's default export written with defineScenario()", async () => {
    const scenario = await loadScenarioFile(`${dir}valid-typed.ts`, testContext);
    expect(scenario.workload[0]).toMatchObject({
      image: 'registry/pullstorm/tiny:1.0',
      replicas: 3,
      ramp: { to: 12, overMs: 20_000 },
    });
    // Numbers are milliseconds in TypeScript.
    expect(scenario.faults[0]).toMatchObject({ id: 'down', atMs: 10_000, clearAtMs: 40_000 });
  });

  it('loads JSON', async () => {
    const scenario = await loadScenarioFile(`${dir}valid-minimal.json`, testContext);
    expect(scenario.name).toBe('minimal-json');
    expect(scenario.timeoutMs).toBe(60_000);
  });

  it('names the file and the position of each problem in its message', async () => {
    const file = `${dir}invalid-duplicate-keys.yaml`;
    expect((await failure(file)).message).toBe(
      [
        `scenario ${file} has 2 problems:`,
        `${file}:10:5: workload[0].replicas: duplicate key (first at line 9)`,
        `${file}:12:1: timeout: duplicate key (first at line 11)`,
      ].join('\n'),
    );
  });

  it.each([
    ['invalid-no-default.ts', 'expected a default export made with defineScenario(), got none'],
    ['nothing-here.yaml', expect.stringMatching(/^cannot read the file: ENOENT/)],
    ['scenario.toml', "expected a file ending in .yaml, .yml, .json, .ts, .mts, .js, .mjs, got '.toml'"],
    ['nothing-here.ts', expect.stringMatching(/^cannot import the module: /)],
  ])('%s fails with one problem naming the file', async (name, message) => {
    const error = await failure(`${dir}${name}`);
    expect(error.file).toBe(`${dir}${name}`);
    expect(error.problems).toEqual([{ path: '', message }]);
  });

  it('validates a TypeScript default export like any other scenario', async () => {
    const error = await failure(`${dir}invalid-no-default.ts`);
    expect(error.code).toBe('SCENARIO_INVALID');
  });
});

describe('loadScenarioText', () => {
  it('decodes, validates and defaults text from any source', () => {
    const text = 'apiVersion: pullstorm.dev/v1alpha1\nkind: Scenario\nname: inline\nworkload: []\n';
    expect(() => loadScenarioText(text, 'yaml', testContext, '<stdin>')).toThrow(
      'scenario <stdin> has 1 problem:\n<stdin>:4:1: workload: expected at least 1 of pods and deployments, got 0',
    );
  });
});
