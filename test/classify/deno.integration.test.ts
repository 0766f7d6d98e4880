import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { diagnoseEvents } from '../../harness/classify/index.ts';

// The classifier must run unchanged on Deno (no Node APIs); this diagnoses the fixture there and
// compares with Node. The module has no npm imports, so Deno needs no configuration.
const root = fileURLToPath(new URL('../../', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;
const fixture = 'test/classify/fixtures/kubectl-get-events.json';

describe('classifier under Deno', () => {
  it('gives the diagnosis Node gives', async () => {
    const script = [
      "import { diagnoseEvents } from './harness/classify/index.ts';",
      `console.log(JSON.stringify(diagnoseEvents(Deno.readTextFileSync('${fixture}'))));`,
    ].join('\n');
    const { stdout } = await execa(deno, ['eval', '--quiet', script], { cwd: root, env: { NO_COLOR: '1' } });
    expect(JSON.parse(stdout)).toEqual(diagnoseEvents(readFileSync(`${root}${fixture}`, 'utf8')));
  });
});
