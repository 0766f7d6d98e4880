/**
 * Ending a run from outside, on real containerd with a tmpfs root and a ballast file in it: Ctrl-C
 * mid-run tears everything down (no containerd or shim processes, no mounts, no node directories)
 * and still writes the log and reports; a run killed outright (SIGKILL, no teardown at all) leaves
 * all of that behind, and `pullstorm clean --run-id` removes it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanStatesAndTempDirs,
  cli,
  containerdUnder,
  entries,
  events,
  mountsUnder,
  startCli,
  tempDir,
  until,
} from './helpers.ts';

const FIXTURE = 'test/run/fixtures/disk-held.yaml';
const states: string[] = [];

// Whatever a failed assertion left behind must not outlive the test run.
afterAll(() => cleanStatesAndTempDirs(states), 60_000);

/** Starts the held-disk run and waits until its pod has failed on the full disk. */
async function startHeldRun(name: string) {
  const base = await tempDir(name);
  const state = join(base, 'state');
  const out = join(base, 'run');
  states.push(state);
  const run = startCli(['run', FIXTURE, '--out', out], { PULLSTORM_STATE_DIR: state });
  await until(
    async () =>
      (await readFile(join(out, 'events.jsonl'), 'utf8').catch(() => '')).includes('no space left on device'),
    60_000,
    `a pull failing on the full disk (stderr: ${run.stderr()})`,
  );
  return { run, state, out };
}

/** Everything a node leaves on the host, under `state`. */
async function leftovers(state: string) {
  return {
    processes: await containerdUnder(state),
    mounts: await mountsUnder(state),
    dirs: await entries(state),
  };
}

describe('ending a run from outside', () => {
  it('Ctrl-C mid-run tears everything down, then writes the log and the reports', async () => {
    const { run, state, out } = await startHeldRun('sigint');
    const during = await leftovers(state);
    expect(during.processes.length).toBeGreaterThan(0);
    expect(during.mounts.length).toBeGreaterThan(0);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('interrupted by SIGINT: tearing down');
    expect(await leftovers(state)).toEqual({ processes: [], mounts: [], dirs: [] });
    const log = await events(out);
    expect(log.at(-1)).toMatchObject({ kind: 'run.finished', outcome: 'interrupted' });
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.run.outcome).toBe('interrupted');
    // Its own verdict, never "FAIL": the expectations had no time, and say what was measured.
    expect(report.verdict).toBe('interrupted');
    expect(report.expectations.length).toBeGreaterThan(0);
    for (const e of report.expectations) expect(e).toMatchObject({ evaluated: false, passed: false });
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toMatch(
      /— INTERRUPTED\n\n\*\*INTERRUPTED: after /,
    );
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('type="interrupted"');
    expect(result.stdout).toMatch(/: INTERRUPTED: after .*expectations? not evaluated/);
  });

  it('a killed run leaves its node behind, and pullstorm clean --run-id removes it', async () => {
    const { run, state, out } = await startHeldRun('sigkill');
    const started = (await events(out))[0];
    const runId = started?.kind === 'run.started' ? started.runId : '';
    run.child.kill('SIGKILL');
    await run.done;
    const left = await leftovers(state);
    expect(left.mounts.length).toBeGreaterThan(0);
    expect(left.dirs).toHaveLength(1);
    // Another run's id matches nothing.
    const other = await cli(['clean', '--run-id', 'not-this-run', '--json'], { PULLSTORM_STATE_DIR: state });
    expect(JSON.parse(other.stdout)).toMatchObject({ runs: [], nodes: [] });
    const r = await cli(['clean', '--run-id', runId], { PULLSTORM_STATE_DIR: state });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 run\(s\), 1 node\(s\) removed/);
    expect(await leftovers(state)).toEqual({ processes: [], mounts: [], dirs: [] });
    // The log of a killed run is still readable: pullstorm report renders it (outcome unknown), and
    // exits 3, saying why: the run was cut short, so its verdict cannot stand for a pass or a fail.
    const again = await cli(['report', join(out, 'events.jsonl')]);
    expect(again.code, again.stderr).toBe(3);
    expect(again.stderr).toContain('has no run.finished (the run was killed before it ended)');
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')).run.outcome).toBe('unknown');
  });
});
