/**
 * The package as a user gets it: `npm pack` of the built dist/ (npm test builds it first; see
 * package.json), installed into an empty project with npm on the project's Node. Installs prefer
 * npm's cache, so only a machine's first run downloads the dependencies.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The checkout's root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** Where packed tarballs and installed projects go (git-ignored). */
export const WORK = join(ROOT, 'test-artifacts', 'package');

/** PATH with the project's Node first, so npm, npx and bins run on Node 24 and not the system's. */
export function nodeEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    NO_UPDATE_NOTIFIER: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

/** Runs a command in `cwd` on the project's Node; resolves with its output, rejects with it. */
export async function sh(cwd: string, file: string, args: string[], timeout = 300_000) {
  return run(file, args, { cwd, env: nodeEnv(), timeout, maxBuffer: 16 * 1024 * 1024 });
}

let packed: Promise<string> | undefined;

/**
 * Packs dist/ once per test file into `WORK/<into>/` (one directory per file: test files run in
 * parallel); resolves with the tarball's path.
 */
export function packOnce(into: string): Promise<string> {
  packed ??= (async () => {
    if (!existsSync(join(ROOT, 'dist', 'api', 'index.js'))) {
      throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    }
    const destination = join(WORK, into);
    await mkdir(destination, { recursive: true });
    // --ignore-scripts: dist/ is already built; `prepare` would build it again.
    const { stdout } = await sh(ROOT, 'npm', [
      'pack',
      '--ignore-scripts',
      '--silent',
      '--pack-destination',
      destination,
    ]);
    return join(destination, stdout.trim().split('\n').pop()!);
  })();
  return packed;
}

/** A fresh project in `WORK/<name>` (from `template` if given) with `packages` installed. */
export async function installInto(name: string, packages: string[], template?: string): Promise<string> {
  const dir = join(WORK, name);
  await rm(dir, { recursive: true, force: true });
  if (template === undefined) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  } else {
    await cp(template, dir, { recursive: true, filter: (p) => !p.includes('node_modules') });
  }
  await sh(dir, 'npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...packages,
  ]);
  return dir;
}

/** The version of a package installed in the checkout (to install the same one elsewhere). */
export async function installedVersion(name: string): Promise<string> {
  const text = await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
