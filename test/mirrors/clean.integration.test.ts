/** `pullstorm clean` finds a run's mirror processes by the run id recorded beside them. */
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcessMirror } from '../../harness/mirrors/start.ts';
import { cleanMirrors } from '../../harness/mirrors/state.ts';
import { hasNginx } from './helpers.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!hasNginx)('cleaning mirrors', () => {
  it('stops the mirror of the named run and removes its directory, leaving other runs alone', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pullstorm-mirror-clean-'));
    const start = (runId: string) =>
      startProcessMirror({
        runId,
        name: 'cache',
        type: 'nginx',
        origin: 'http://127.0.0.1:9',
        root,
        endpoints: [{ name: 'node', host: '127.0.0.1' }],
      });
    const mine = await start('run-a');
    const other = await start('run-b');
    try {
      const report = await cleanMirrors(root, 'run-a');
      expect(report.mirrors).toEqual(['run-a/cache']);
      expect(alive(mine.process.pid)).toBe(false);
      await expect(access(mine.dir)).rejects.toThrow();
      expect(alive(other.process.pid)).toBe(true);
    } finally {
      await mine.close();
      await other.close();
    }
  });
});
