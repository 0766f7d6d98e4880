/**
 * The runner's backend path: a scenario whose `backend.type` is not the embedded one is served by
 * the first ready candidate `detectBackend` finds, provisioned, faulted and torn down through the
 * `Backend` verbs only. kind is not installable on this machine, so the candidate here is the real
 * embedded backend (real containerd, real stub) answering for type `kind`: what is proven is the
 * runner's wiring (detection, capabilities, real time, fault routing, teardown), not kind itself —
 * test/backends/kind/e2e.test.ts does that where kind exists.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedBackend } from '../../harness/backends/embedded/backend.ts';
import type { BackendCandidate } from '../../harness/backends/provider.ts';
import { scenarioContext } from '../../harness/backends/stub-engine.ts';
import type { LogEvent } from '../../harness/events/run-events.ts';
import { chooseBackend } from '../../harness/run/backend.ts';
import { EnvironmentError } from '../../harness/run/preflight.ts';
import type { Progress } from '../../harness/run/progress.ts';
import { runScenario } from '../../harness/run/runner.ts';
import { loadScenarioFile } from '../../harness/scenario/load.ts';
import { UsageError } from '../../vocab/errors.ts';
import { containerdStatus, skipNote } from '../helpers/containerd-status.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

const containerd = await containerdStatus();

afterAll(removeTempDirs);

function quietProgress(notes: string[]): Progress {
  return {
    phase: () => undefined,
    started: () => undefined,
    event: () => undefined,
    note: (line) => void notes.push(line),
    stop: () => undefined,
  };
}

const broken: BackendCandidate = {
  name: 'kind (broken on purpose)',
  type: 'kind',
  probe: async () => ({ status: 'broken', reason: 'Docker is not available: test' }),
};
const embeddedAsKind: BackendCandidate = {
  name: 'embedded, answering for kind',
  type: 'kind',
  probe: async () => ({ status: 'ready', detail: 'test candidate', create: () => embeddedBackend() }),
};

describe.skipIf(!containerd.available)(`the runner on a detected backend${skipNote(containerd)}`, () => {
  it('plays a kind scenario through the Backend verbs in real time, then tears everything down', async () => {
    const out = await tempDir('backend-path');
    process.env.PULLSTORM_STATE_DIR = join(out, 'state');
    const scenario = await loadScenarioFile('test/run/fixtures/kind-server-error.yaml', scenarioContext());
    const notes: string[] = [];
    const result = await runScenario(scenario, {
      out: join(out, 'run'),
      progress: quietProgress(notes),
      backend: { candidates: [broken, embeddedAsKind] },
    });
    expect(result.exitCode, result.summary).toBe(0);
    // Every candidate tried is logged, in order; the broken one did not stop detection.
    expect(notes).toContain('backend kind (broken on purpose): broken: Docker is not available: test');
    expect(notes).toContain('backend embedded, answering for kind: ready (test candidate)');
    expect(notes.join('\n')).toContain('clock warp ignored: a real kubelet (kind) runs in real time');
    const events = (await readFile(result.eventsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LogEvent);
    const started = events.find((e) => e.kind === 'run.started');
    expect(started?.kind === 'run.started' && started.scenario.backend.clock).toBe('real');
    expect(started?.kind === 'run.started' && started.clock).toBe('real');
    // The registry fault went through Backend.applyRegistryFault and the stub answered 503.
    expect(events.some((e) => e.kind === 'fault.applied' && e.id === 'outage')).toBe(true);
    expect(events.some((e) => e.kind === 'registry.request' && e.status === 503)).toBe(true);
    expect(events.some((e) => e.kind === 'fault.cleared' && e.id === 'outage')).toBe(true);
    expect(notes).toContain('teardown: undo provision the containerd backend');
    expect(notes.some((n) => n.startsWith('teardown failed'))).toBe(false);
  }, 120_000);

  it('says which candidates it tried when none is ready (exit 3)', async () => {
    const error = await chooseBackend('kind', { candidates: [broken] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe(
      "no working 'kind' backend; tried kind (broken on purpose): broken (Docker is not available: test)",
    );
  });

  it("maps a backend's pre-provision refusal: the input's fault exits 2, an unreachable cluster 3, nothing created", async () => {
    const out = await tempDir('backend-check');
    const scenario = await loadScenarioFile('test/run/fixtures/kind-server-error.yaml', scenarioContext());
    const refusing = (error: Error): BackendCandidate => ({
      name: 'refusing',
      type: 'kind',
      probe: async () => ({
        status: 'ready',
        detail: 'test',
        // Only `check` runs: a refusal must come before anything is provisioned.
        create: () => ({ ...embeddedBackend(), check: () => Promise.reject(error) }),
      }),
    });
    const run = (error: Error, dir: string) =>
      runScenario(scenario, {
        out: join(out, dir),
        progress: quietProgress([]),
        backend: { candidates: [refusing(error)] },
      }).catch((e: unknown) => e);
    const usage = await run(new RangeError('workload[0] app pins node-x'), 'a');
    expect(usage).toBeInstanceOf(UsageError);
    expect((usage as UsageError).exitCode).toBe(2);
    const environment = await run(
      new Error('fetch failed', { cause: new Error('connect ECONNREFUSED') }),
      'b',
    );
    expect(environment).toBeInstanceOf(EnvironmentError);
    expect((environment as Error).message).toBe('backend containerd: fetch failed: connect ECONNREFUSED');
    expect(await readdir(out)).toEqual([]);
  });
});
