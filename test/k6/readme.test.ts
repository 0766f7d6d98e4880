/**
 * The k6 README's commands work as written: a script that steers faults (`--control … --token T`)
 * needs the stub started with that same control token, or its control API answers 404 and the
 * script exits 1 at its first fault.
 */
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

it('every `pullstorm k6 … --token X` in the README runs against a `pullstorm serve --control-token X` started before it', async () => {
  const readme = await readFile('scenarios/k6/README.md', 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const lines = blocks
    .join('\n')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  const tokens: string[] = [];
  let checked = 0;
  for (const line of lines) {
    const served = /pullstorm serve .*--control-token (\S+)/.exec(line);
    if (served) tokens.push(served[1]!);
    const used = /pullstorm k6 .*--token (\S+)/.exec(line);
    if (used) {
      checked++;
      expect(tokens, `'${line.trim()}' needs a stub started with --control-token ${used[1]}`).toContain(
        used[1],
      );
    }
  }
  expect(checked).toBeGreaterThan(0);
});
