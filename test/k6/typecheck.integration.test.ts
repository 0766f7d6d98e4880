/**
 * The k6 scripts type-check against @types/k6 with their own tsconfig (k6's globals, no DOM, no
 * Node): k6 strips the types without checking them, so this test is where a wrong k6 API call shows.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { rolldown } from 'rolldown';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/.bin/tsc');
// Under node_modules so module resolution finds @types/k6; ignored by git.
const scratch = join(root, 'node_modules/.cache/pullstorm-k6-typecheck', crypto.randomUUID().slice(0, 8));

describe('k6 scripts', () => {
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('type-check with scenarios/k6/tsconfig.json (types: ["k6"])', async () => {
    const r = await execa(tsc, ['-p', 'scenarios/k6/tsconfig.json'], { cwd: root, reject: false });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it.each(['pull-storm.ts', 'rate-limit.ts'])(
    '%s bundles into one file with k6 modules left as imports (the k6-operator recipe)',
    async (script) => {
      const build = await rolldown({
        input: join(root, 'scenarios/k6', script),
        external: [/^k6(\/|$)/],
        logLevel: 'warn',
        onLog(level, log, handler) {
          if (log.code === 'UNRESOLVED_IMPORT') return handler('error', log);
          handler(level, log);
        },
      });
      try {
        const { output } = await build.generate({ format: 'esm', codeSplitting: false });
        expect(output).toHaveLength(1);
        const code = output[0]!.code;
        // Only k6's own modules are imported; everything of ours is inlined.
        const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
        expect(imports.every((i) => /^k6(\/|$)/.test(i!))).toBe(true);
        expect(code).toMatch(/export \{[^}]*\boptions\b/);
        expect(code).not.toContain('import type');
      } finally {
        await build.close();
      }
    },
  );

  it('the check has teeth: a misused k6 API and a Node global fail it', async () => {
    await mkdir(scratch, { recursive: true });
    await writeFile(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ extends: join(root, 'scenarios/k6/tsconfig.json'), include: ['bad.ts'] }),
    );
    await writeFile(
      join(scratch, 'bad.ts'),
      [
        "import http from 'k6/http';",
        'export default function (): void {',
        "  http.get('http://x', { responseType: 'json' });",
        '  process.exit(1);',
        '}',
      ].join('\n'),
    );
    const r = await execa(tsc, ['-p', join(scratch, 'tsconfig.json')], { cwd: root, reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toMatch(/bad\.ts\(3,.*'"json"' is not assignable/);
    expect(r.stdout).toMatch(/bad\.ts\(4,.*Cannot find name 'process'/);
  });
});
