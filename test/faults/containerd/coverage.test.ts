/**
 * Every catalogue fault has a real-client proof in this folder: a test whose title starts with the
 * fault's name. A fault added to the catalogue without one fails here, not in production.
 */
import { readdir, readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { CATALOGUE } from '../../../registry-stubs/faults/catalogue.ts';

it('every catalogue fault is proven against containerd here', async () => {
  const dir = new URL('.', import.meta.url);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.test.ts'));
  const sources = await Promise.all(files.map((f) => readFile(new URL(f, dir), 'utf8')));
  const titles = sources.flatMap((s) =>
    [...s.matchAll(/\bit\(\s*(['"`])([a-z0-9-]+)[ :(]/g)].map((m) => m[2]),
  );
  const missing = CATALOGUE.map((e) => e.name).filter((name) => !titles.includes(name));
  expect(missing).toEqual([]);
});
