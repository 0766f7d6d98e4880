import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RENDERERS, REPORT_FORMATS } from '../../reports/index.ts';
import { CASES } from './cases.ts';

// Renderers are pure string building and must run unchanged on Deno; this renders the failing
// fixture there and compares every format with Node's output.
const root = fileURLToPath(new URL('../../', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;

describe('renderers under Deno', () => {
  it('give the output Node gives', async () => {
    const script = [
      "import { RENDERERS, REPORT_FORMATS } from './reports/index.ts';",
      "import { failingRun } from './test/reports/fixtures-failing.ts';",
      'const out = Object.fromEntries(REPORT_FORMATS.map((f) => [f, RENDERERS[f].render(failingRun())]));',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const { stdout } = await execa(deno, ['eval', '--quiet', '--ext=ts', script], {
      cwd: root,
      env: { NO_COLOR: '1' },
    });
    const fromDeno = JSON.parse(stdout) as Record<string, string>;
    for (const format of REPORT_FORMATS)
      expect(fromDeno[format]).toBe(RENDERERS[format].render(CASES.failing!()));
  });
});
