import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, type ScenarioError } from '../../harness/scenario/index.ts';
import { testContext } from './context.ts';

// The scenario model must run unchanged on Deno (yaml from node_modules, node:fs in the loader
// only): load the same YAML and TypeScript scenarios there and compare with Node.
const root = fileURLToPath(new URL('../../', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;
const files = ['test/scenario/fixtures/valid-full.yaml', 'test/scenario/fixtures/valid-typed.ts'];

describe('scenario loading under Deno', () => {
  it('resolves the scenarios Node resolves, and reports the same problems', async () => {
    const script = [
      "import { loadScenarioFile } from './harness/scenario/index.ts';",
      "import { testContext } from './test/scenario/context.ts';",
      `const files = ${JSON.stringify([...files, 'test/scenario/fixtures/invalid-many.yaml'])};`,
      'const out = [];',
      'for (const f of files) {',
      '  try { out.push(await loadScenarioFile(f, testContext)); } catch (e) { out.push(e.problems); }',
      '}',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const { stdout } = await execa(deno, ['eval', '--quiet', script], { cwd: root, env: { NO_COLOR: '1' } });
    const [full, typed, problems] = JSON.parse(stdout);
    expect(full).toEqual(await loadScenarioFile(`${root}${files[0]}`, testContext));
    expect(typed).toEqual(await loadScenarioFile(`${root}${files[1]}`, testContext));
    const many = await loadScenarioFile(`${root}test/scenario/fixtures/invalid-many.yaml`, testContext).catch(
      (e: ScenarioError) => e.problems,
    );
    expect(problems).toEqual(many);
  });
});
