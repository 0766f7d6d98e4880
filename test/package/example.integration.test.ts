/**
 * examples/vitest as a user runs it: the packed tarball and vitest installed from npm, then the
 * example's own `vitest run` (two scenario tests with pullstorm/vitest's matchers) and type check.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { installedVersion, installInto, packOnce, ROOT, sh } from '../../scripts/package/pack.ts';

test('the vitest example passes against the installed package', async () => {
  const vitest = `vitest@${await installedVersion('vitest')}`;
  const dir = await installInto(
    'example',
    [await packOnce('tarball-example'), vitest],
    join(ROOT, 'examples', 'vitest'),
  );
  const { stdout } = await sh(
    dir,
    'npx',
    ['--no-install', 'vitest', 'run', '--reporter', 'verbose'],
    300_000,
  );
  expect(stdout).toContain('a pull quota is detected quickly, classified, and every pod runs once it lifts');
  // The matchers' types: vitest's Assertion augmented by pullstorm/vitest's declarations.
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  await expect(sh(dir, process.execPath, [tsc, '-p', 'tsconfig.json'])).resolves.toMatchObject({
    stdout: '',
  });
  expect(stdout).toMatch(/Tests\s+2 passed \(2\)|Tests\s+1 passed \| 1 skipped \(2\)/);
}, 900_000);
