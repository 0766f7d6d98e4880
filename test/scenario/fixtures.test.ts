import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, renderProblems, ScenarioError } from '../../harness/scenario/index.ts';
import { testContext } from './context.ts';

// Table-driven like kind's testdata: every valid-* file loads, every invalid-* file fails with
// exactly the problems (line:column: path: message) in its .problems.txt sibling.
const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const files = readdirSync(dir);
const valid = files.filter((f) => /^valid-.*\.(ya?ml|json|ts)$/.test(f));
const invalid = files.filter((f) => /^invalid-.*\.ya?ml$/.test(f));

async function problemsOf(file: string): Promise<string> {
  const error = await loadScenarioFile(`${dir}${file}`, testContext).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return renderProblems((error as ScenarioError).problems);
}

describe('valid-* fixtures', () => {
  it('include minimal, full, storm, mirror, TLS, JSON and TypeScript scenarios', () => {
    for (const name of ['minimal', 'full', 'storm', 'mirror', 'tls'])
      expect(valid).toContain(`valid-${name}.yaml`);
    expect(valid).toContain('valid-minimal.json');
    expect(valid).toContain('valid-typed.ts');
  });

  it.each(valid)('%s loads and validates', async (file) => {
    const scenario = await loadScenarioFile(`${dir}${file}`, testContext);
    expect(scenario.apiVersion).toBe('pullstorm.dev/v1alpha1');
    expect(scenario.workload.length).toBeGreaterThan(0);
    // The resolved scenario is plain JSON: it survives the run record unchanged.
    expect(JSON.parse(JSON.stringify(scenario))).toEqual(scenario);
  });
});

describe('invalid-* fixtures', () => {
  it('each has a .problems.txt sibling, and every sibling has its fixture', () => {
    const expected = files.filter((f) => f.endsWith('.problems.txt'));
    expect(expected.map((f) => f.replace('.problems.txt', '.yaml')).sort()).toEqual([...invalid].sort());
  });

  it.each(invalid)('%s reports exactly its expected problems', async (file) => {
    const expected = readFileSync(`${dir}${file.replace(/\.ya?ml$/, '.problems.txt')}`, 'utf8').trimEnd();
    expect(await problemsOf(file)).toBe(expected);
  });

  it('reports every problem of a file at once, top to bottom', async () => {
    const lines = (await problemsOf('invalid-many.yaml')).split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(30);
    const positions = lines.map((l) => l.split(':').slice(0, 2).map(Number) as [number, number]);
    const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(positions).toEqual(sorted);
  });
});
