/**
 * One run end to end on real containerd (`refused`, a connection fault applied and cleared): the
 * verdict and exit code, the event log (what `run.started` records, the order of the run's events,
 * the measured times against the plan in scenario time), and `pullstorm report` reproducing every report
 * byte for byte from the log alone. Then a run with credentials: nothing secret reaches the run dir.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../harness/events/run-events.ts';
import type { FaultChange, PullAttempt, RegistryRequest } from '../../harness/events/types.ts';
import { type CliResult, cli, events, removeTempDirs, tempDir } from './helpers.ts';

let dir = '';
let run: CliResult;
let log: LogEvent[] = [];
const at = (e: LogEvent) => Date.parse(e.time);

beforeAll(async () => {
  const base = await tempDir('report');
  dir = join(base, 'run');
  run = await cli(['run', 'refused', '--out', dir], {
    PULLSTORM_STATE_DIR: join(base, 'state'),
  });
  log = await events(dir);
}, 120_000);

afterAll(removeTempDirs);

describe('a run of the refused scenario', () => {
  it('passes, exits 0 and prints the summary with the report paths', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/pullstorm refused \(refused-\d{8}-\d{6}-[0-9a-f]{4}\): PASS: 4 of 4/);
    expect(run.stdout).toContain(join(dir, 'report.html'));
  });

  it('logs run.started first, with the resolved scenario and the environment, and run.finished last', () => {
    const first = log[0]!;
    expect(first.kind).toBe('run.started');
    if (first.kind !== 'run.started') return;
    expect(first.runId).toMatch(/^refused-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(first.scenario.name).toBe('refused');
    // The default clock is what ran and what the log says.
    expect(first.clock).toBe('warp');
    expect(first.scenario.backend.clock).toBe('warp');
    expect(first.environment).toMatchObject({
      pullstorm: expect.stringMatching(/^\d+\.\d+\.\d+/),
      runtime: expect.stringMatching(/^node 24\./),
      containerd: expect.stringMatching(/^containerd 1\.\d+\.\d+/),
      kubernetes: '1.32 (kubelet modelled)',
    });
    expect(log.at(-1)).toMatchObject({
      kind: 'run.finished',
      outcome: 'completed',
      timing: { clock: 'warp', eventLoopDelay: { p99Ms: expect.any(Number) } },
    });
    expect(log.filter((e) => e.kind === 'run.phase').map((e) => e.kind === 'run.phase' && e.phase)).toEqual([
      'workload',
      'observe',
    ]);
  });

  it('applies and clears the fault on the timeline: 30 s of scenario time, as planned', () => {
    const changes = log.filter(
      (e): e is FaultChange => e.kind === 'fault.applied' || e.kind === 'fault.cleared',
    );
    expect(changes.map((c) => [c.kind, c.id, c.fault])).toEqual([
      ['fault.applied', 'down', 'refused'],
      ['fault.cleared', 'down', 'refused'],
    ]);
    const t0 = at(log[0]!);
    expect(at(changes[0]!) - t0).toBeLessThan(300);
    const held = at(changes[1]!) - at(changes[0]!);
    // Cleared at 30 s of scenario time sharp; applied a few ms after 0 (applying is real work).
    expect(at(changes[1]!) - t0).toBeGreaterThanOrEqual(30_000);
    expect(at(changes[1]!) - t0).toBeLessThan(30_000 + 1_000);
    expect(held).toBeGreaterThan(30_000 - 300);
  });

  it('records refused pulls while the fault holds and registry requests per node door afterwards', () => {
    const [applied, cleared] = log.filter((e) => e.kind.startsWith('fault.')).map(at) as [number, number];
    const failed = log.filter((e): e is PullAttempt => e.kind === 'pull.attempt' && !e.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f.error).toMatch(/dial tcp 127\.0\.0\.\d+:\d+: connect: connection refused$/);
      expect(at(f)).toBeGreaterThanOrEqual(applied);
      expect(at(f)).toBeLessThanOrEqual(cleared + 100);
    }
    const served = log.filter((e): e is RegistryRequest => e.kind === 'registry.request');
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((r) => at(r) >= cleared && r.registry === 'registry')).toBe(true);
    expect(new Set(served.map((r) => (r as { endpoint?: string }).endpoint))).toEqual(
      new Set(['worker-0', 'worker-1']),
    );
    const pulled = log.filter((e): e is PullAttempt => e.kind === 'pull.attempt' && e.ok);
    expect(pulled).toHaveLength(2);
  });

  it("measures detection and recovery in scenario time, recovery bounded by kubelet's backoff", async () => {
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const fault = report.faults[0];
    expect(fault.id).toBe('down');
    // Pods start 1 s in and fail at once: detection is a second and a little.
    expect(fault.detection.first.ms).toBeGreaterThanOrEqual(1_000);
    expect(fault.detection.first.ms).toBeLessThan(2_500);
    expect(fault.detection.first).not.toHaveProperty('realMs');
    // The fault held 30 s, so the pods' backoff is at its 10 + 20 s steps: the next retry is
    // due within 40 s of the clear (plus a pod worker requeue of 10–15 s).
    expect(fault.recovery.ms).toBeGreaterThan(0);
    expect(fault.recovery.ms).toBeLessThan(60_000);
    expect(report.run.clock).toBe('warp');
  });

  it('pullstorm report re-renders identical reports from the log alone', async () => {
    const again = join(await tempDir('rerender'), 'out');
    const r = await cli(['report', join(dir, 'events.jsonl'), '--out', again]);
    expect(r.code, r.stderr).toBe(0);
    for (const file of ['report.json', 'junit.xml', 'summary.md', 'report.html']) {
      const original = await readFile(join(dir, file), 'utf8');
      expect(await readFile(join(again, file), 'utf8'), file).toBe(original);
    }
    const summary = (await readFile(join(dir, 'summary.txt'), 'utf8')).replaceAll(dir, '<dir>');
    expect((await readFile(join(again, 'summary.txt'), 'utf8')).replaceAll(again, '<dir>')).toBe(summary);
    expect(r.stdout).toContain('PASS: 4 of 4');
  });
});

describe('a run with credentials', () => {
  it('keeps every password out of the run directory and prints --json results', async () => {
    const base = await tempDir('secret');
    const out = join(base, 'run');
    // This test is about what is written, not about timing.
    const r = await cli(['run', 'auth-bad-credentials', '--out', out, '--json'], {
      PULLSTORM_STATE_DIR: join(base, 'state'),
    });
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      exitCode: r.code,
      runs: [{ scenario: 'auth-bad-credentials', outDir: out, outcome: 'completed' }],
    });
    expect(json.runs[0].expectations).toHaveLength(4);
    expect(json.runs[0].reports.events).toBe(join(out, 'events.jsonl'));
    for (const file of await readdir(out, { recursive: true })) {
      const text = await readFile(join(out, file), 'utf8').catch(() => '');
      expect(text, file).not.toContain('ci-secret-pw');
    }
  });
});
