/**
 * `npm run build` (also `prepare`, which npm runs on `npm install` in a clone and before `npm pack`/`publish`): emits dist/ with tsc (JavaScript and .d.ts, `.ts`
 * specifiers rewritten to `.js`), then copies the runtime files that are not TypeScript to the same
 * relative place under dist/, so every `new URL('…', import.meta.url)` read finds them in the
 * installed package exactly as it does in the source tree.
 *
 * Why tsc and not a bundler (tsdown, tsup): the package is many small ESM modules that the CLI
 * imports lazily, one command at a time; per-file emit keeps that laziness and the relative asset
 * paths, adds no dependency, and is the same compiler `npm test` type-checks with.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

/** Files read at run time relative to the module that reads them (source path = dist path). */
export const RUNTIME_ASSETS: readonly string[] = [
  'scenarios', // built-in scenarios (harness/run/builtin.ts) and the k6 scripts (`pullstorm k6`)
  'harness/backends/containerd/cri/api.proto', // the CRI client (cri/load.ts)
  'reports/schema/report.schema.json', // the JSON report's published schema
];

/**
 * Relative `.ts` specifiers left in the emitted JavaScript: each would fail at run time in the
 * installed package (Node does not strip types under node_modules). tsc 5.9 misses a dynamic
 * import inside a downlevelled `using` block, so this is checked, not assumed.
 */
export function unrewritten(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.js')) continue;
    const text = readFileSync(join(dir, entry), 'utf8');
    for (const m of text.matchAll(/(?:from\s*|import\(\s*)(['"])(\.{1,2}\/[^'"]+\.ts)\1/g))
      found.push(`${entry}: ${m[2]}`);
  }
  return found;
}

function build(): void {
  rmSync(DIST, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  for (const asset of RUNTIME_ASSETS) {
    const from = join(ROOT, asset);
    if (!existsSync(from)) throw new Error(`build: runtime asset ${asset} is missing from the source tree`);
    cpSync(from, join(DIST, asset), { recursive: true });
  }
  const left = unrewritten(DIST);
  if (left.length > 0)
    throw new Error(`build: .ts specifiers left in dist/ (rewrite them by hand):\n  ${left.join('\n  ')}`);
  // `npx pullstorm` in a checkout runs the root package's bin file itself, which tsc emits not executable.
  chmodSync(join(DIST, 'harness', 'cli', 'bin.js'), 0o755);
  // tsc copies package.json (reports/version.ts imports it) with the root's exports and bin, which
  // mean nothing under dist/: keep only what the import reads and what Node needs to load ESM.
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const note = "pullstorm's build output: the version reports name (reports/version.ts)";
  writeFileSync(
    join(DIST, 'package.json'),
    `${JSON.stringify({ private: true, description: note, version, type: 'module' }, null, 2)}\n`,
  );
}

if (import.meta.main) build();
