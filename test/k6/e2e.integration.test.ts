/**
 * The k6 scripts run by real k6 against `pullstorm serve` (in-process, loopback). Needs k6 on PATH
 * (the CI workflow installs it); skipped otherwise, with the reason in the suite name.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK6 } from '../../harness/cli/commands/k6.ts';
import { startServe } from '../../registry-stubs/serve/serve-registry.ts';

const probe = await execa('k6', ['version'], { reject: false });
const hasK6 = probe.exitCode === 0;

describe.skipIf(!hasK6)(
  `k6 scripts against pullstorm serve${hasK6 ? ` (${String(probe.stdout).split('\n')[0]})` : ' (skipped: k6 is not installed)'}`,
  () => {
    let served: Awaited<ReturnType<typeof startServe>>;
    beforeAll(async () => {
      served = await startServe({
        host: '127.0.0.1',
        port: 0,
        tls: false,
        auth: 'none',
        users: [],
        fixtures: true,
      });
    });
    afterAll(() => served?.close());

    it('pull-storm.ts: every pull succeeds and the thresholds hold', async () => {
      const r = await runK6({
        script: 'scenarios/k6/pull-storm.ts',
        target: served.ready.url,
        extra: ['-e', 'VUS=3', '-e', 'DURATION=3s', '--quiet'],
      });
      expect(r).toEqual({ exitCode: 0 });
    }, 120_000);

    it('pull-storm.ts: a missing image crosses the pull threshold (exit 1, not 3)', async () => {
      const r = await runK6({
        script: 'scenarios/k6/pull-storm.ts',
        target: served.ready.url,
        extra: ['-e', 'VUS=1', '-e', 'DURATION=2s', '-e', 'PULLSTORM_IMAGE=pullstorm/nope:1.0', '--quiet'],
      });
      expect(r.exitCode).toBe(1);
    }, 120_000);
  },
);
