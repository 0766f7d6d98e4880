/**
 * Golden files: a renderer's output compared byte for byte with test/reports/golden/<name>. Run
 * with UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const dir = fileURLToPath(new URL('./golden/', import.meta.url));

/** Asserts `text` equals the golden file `name` (or rewrites it under UPDATE_GOLDEN=1). */
export function expectGolden(name: string, text: string): void {
  const path = `${dir}${name}`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path))
    throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(text, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(
    readFileSync(path, 'utf8'),
  );
}
