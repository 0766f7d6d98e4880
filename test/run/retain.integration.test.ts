/**
 * `pullstorm run --retain` on real containerd: after the verdict the run stays up, printing how to
 * reach what it kept (the registry's door per node, the CA, each node's socket with crictl/ctr), the
 * node really answers there, and Ctrl-C then tears everything down as a normal end would.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanStatesAndTempDirs,
  containerdUnder,
  entries,
  mountsUnder,
  startCli,
  tempDir,
  until,
} from './helpers.ts';

const states: string[] = [];

afterAll(() => cleanStatesAndTempDirs(states), 60_000);

describe('pullstorm run --retain', () => {
  it('keeps the nodes and registries up with directions until Ctrl-C, then tears down', async () => {
    const base = await tempDir('retain');
    const state = join(base, 'state');
    states.push(state);
    const run = startCli(['run', 'tls-trusted', '--retain', '--out', join(base, 'run')], {
      PULLSTORM_STATE_DIR: state,
    });
    await until(
      () => run.stderr().includes('retained (Ctrl-C tears everything down):'),
      90_000,
      'the retained notice',
    );
    const notice = run.stderr();
    expect(notice).toMatch(/pullstorm tls-trusted \(\S+\): PASS/);
    expect(notice).toMatch(/registry secure {2}worker-0 https:\/\/127\.0\.0\.\d+:\d+/);
    expect(notice).toContain(join(base, 'run', 'tls', 'secure', 'ca.crt'));
    expect(notice).toMatch(/crictl --runtime-endpoint unix:\/\/\S+ images/);
    expect(notice).toContain('node edge  virtual (in this process)');
    // Kept means kept: the nodes' containerd daemons are still running.
    expect((await containerdUnder(state)).length).toBe(2);
    run.child.kill('SIGINT');
    const done = await run.done;
    expect(done.code, done.stderr).toBe(0);
    expect(await containerdUnder(state)).toEqual([]);
    expect(await mountsUnder(state)).toEqual([]);
    expect(await entries(state)).toEqual([]);
  }, 150_000);
});
