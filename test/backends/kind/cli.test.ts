/** The kind commands as pullstorm runs them (a recording runner stands in for kind), and the clean-up of leftovers. */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kindBackend, kindCandidate } from '../../../harness/backends/kind/backend.ts';
import { cleanKindClusters } from '../../../harness/backends/kind/clean.ts';
import { KindCommandError, kindCli, type RunProgram } from '../../../harness/backends/kind/cli.ts';
import { writeMarker } from '../../../harness/backends/kind/state.ts';
import { applyDefaults, defineScenario } from '../../../harness/scenario/index.ts';

/** A fake `kind`: answers by subcommand, records every call. */
function fakeKind(
  answers: Record<string, { exitCode?: number; stdout?: string; stderr?: string; notFound?: boolean }> = {},
) {
  const calls: string[][] = [];
  const run: RunProgram = async (file, args) => {
    calls.push([file, ...args]);
    const a = answers[args.slice(0, 2).join(' ')] ?? answers[args[0]!] ?? {};
    return {
      exitCode: a.exitCode ?? 0,
      stdout: a.stdout ?? '',
      stderr: a.stderr ?? '',
      ...(a.notFound ? { notFound: true } : {}),
    };
  };
  return { calls, run };
}

/** A kind scenario of one registry and no workload, on nodes `nodes`. */
const kindScenario = (name: string, nodes: string[]) =>
  applyDefaults(
    defineScenario({
      apiVersion: 'pullstorm.dev/v1alpha1',
      kind: 'Scenario',
      name,
      backend: { type: 'kind', nodes: nodes.map((n) => ({ name: n })) },
      registries: [{ name: 'hub' }],
      workload: [],
    }),
  );

// Every test keeps its run markers in a state dir of its own, never the machine's shared
// <tmpdir>/pullstorm-kind (another user's runs may own it, and a test must not touch real markers).
beforeEach(async () => {
  vi.stubEnv('PULLSTORM_STATE_DIR', join(await mkdtemp(join(tmpdir(), 'pullstorm-kind-test-')), 'state'));
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('kind cli', () => {
  it('create: name, generated config, node image, own kubeconfig, --wait 120s', async () => {
    const k = fakeKind();
    await kindCli({ run: k.run }).createCluster({
      name: 'pullstorm-r1',
      configPath: '/o/kind-config.yaml',
      image: 'kindest/node:v1',
      kubeconfigPath: '/o/kubeconfig',
    });
    expect(k.calls).toEqual([
      [
        'kind',
        'create',
        'cluster',
        '--name',
        'pullstorm-r1',
        '--config',
        '/o/kind-config.yaml',
        '--image',
        'kindest/node:v1',
        '--kubeconfig',
        '/o/kubeconfig',
        '--wait',
        '120s',
      ],
    ]);
  });

  it("a failed provisioning exports the nodes' logs into the run directory before the cluster is deleted", async () => {
    const k = fakeKind({
      'create cluster': { exitCode: 1, stderr: 'ERROR: failed to create cluster: boom' },
    });
    const cli = kindCli({ run: k.run });
    const outDir = await mkdtemp(join(tmpdir(), 'pullstorm-kind-fail-'));
    const scenario = kindScenario('kind-fail', ['a', 'b']);
    const lines: string[] = [];
    const failed = await kindBackend({ cli })
      .provision(scenario, { runId: 'fail-1', outDir, emit: () => undefined, log: (l) => lines.push(l) })
      .catch((e: unknown) => e as Error);
    expect((failed as Error).message).toMatch(/failed to create cluster: boom/);
    const verbs = k.calls.map((c) => c.slice(1, 3).join(' '));
    expect(verbs).toEqual(['create cluster', 'export logs', 'delete cluster']);
    expect(k.calls[1]).toEqual([
      'kind',
      'export',
      'logs',
      join(outDir, 'kind', 'logs'),
      '--name',
      'pullstorm-fail-1',
    ]);
    expect(lines).toContain(`kind: node logs exported to ${join(outDir, 'kind', 'logs')}`);
  });

  it('a teardown that fails keeps the run marker for pullstorm clean; one that succeeds removes it', async () => {
    // This test's own state dir (beforeEach).
    const state = process.env.PULLSTORM_STATE_DIR!;
    const scenario = kindScenario('kind-marker', ['a']);
    const attempt = async (runId: string, deleteFails: boolean) => {
      const k = fakeKind({
        'create cluster': { exitCode: 1, stderr: 'ERROR: failed to create cluster: boom' },
        ...(deleteFails ? { 'delete cluster': { exitCode: 1, stderr: 'ERROR: docker is gone' } } : {}),
      });
      const outDir = await mkdtemp(join(tmpdir(), 'pullstorm-kind-marker-'));
      const failed = await kindBackend({ cli: kindCli({ run: k.run }) })
        .provision(scenario, { runId, outDir, emit: () => undefined })
        .then(
          () => new Error('provisioned'),
          (e: unknown) => e as Error,
        );
      const left = await readdir(join(outDir, 'kind'), { recursive: true });
      return { failed, certsD: left.filter((f) => f.endsWith('certs.d')), verbs: k.calls.map((c) => c[1]) };
    };
    const kept = await attempt('kept-1', true);
    expect(kept.failed.message).toMatch(
      /failed to create cluster: boom; undoing what was made failed too: kind teardown: undo delete the kind cluster: .*docker is gone/,
    );
    const removed = await attempt('gone-1', false);
    expect(removed.failed.message).toMatch(/failed to create cluster: boom$/);
    expect(removed.verbs).toEqual(['create', 'export', 'delete']);
    // Every undo runs even when one fails: the node's certs.d goes either way; the marker only when all went.
    expect([kept.certsD, removed.certsD]).toEqual([[], []]);
    expect(await readdir(`${state}-kind`)).toEqual(['pullstorm-kept-1.json']);
  });

  it('delete and get clusters', async () => {
    const k = fakeKind({ 'get clusters': { stdout: 'kind\npullstorm-a\npullstorm-b\n' } });
    const cli = kindCli({ run: k.run, binary: '/usr/local/bin/kind' });
    await cli.deleteCluster('pullstorm-a', '/o/kubeconfig');
    expect(await cli.getClusters()).toEqual(['kind', 'pullstorm-a', 'pullstorm-b']);
    expect(k.calls[0]).toEqual([
      '/usr/local/bin/kind',
      'delete',
      'cluster',
      '--name',
      'pullstorm-a',
      '--kubeconfig',
      '/o/kubeconfig',
    ]);
    // "No kind clusters found." goes to stderr with exit 0.
    expect(
      await kindCli({
        run: fakeKind({ 'get clusters': { stderr: 'No kind clusters found.' } }).run,
      }).getClusters(),
    ).toEqual([]);
  });

  it('a failure carries the command and the last lines of kind’s output', async () => {
    const k = fakeKind({
      'create cluster': {
        exitCode: 1,
        stderr:
          'Creating cluster "x" ...\n ✗ Preparing nodes 📦\nERROR: failed to create cluster: node(s) already exist for a cluster with the name "x"',
      },
    });
    const error = await kindCli({ run: k.run })
      .createCluster({ name: 'x', configPath: 'c', image: 'i', kubeconfigPath: 'k' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KindCommandError);
    expect((error as KindCommandError).code).toBe('KIND_FAILED');
    expect((error as Error).message).toMatch(
      /^'kind create cluster --name x .*' failed \(exit 1\): .*ERROR: failed to create cluster: node\(s\) already exist/,
    );
  });

  it('version: undefined when kind is not installed; detection says not applicable, or broken without Docker', async () => {
    const missing = kindCli({ run: fakeKind({ version: { notFound: true, exitCode: -1 } }).run });
    expect(await missing.version()).toBeUndefined();
    expect(await kindCandidate({ cli: missing }).probe()).toMatchObject({
      status: 'not-applicable',
      reason: expect.stringContaining('kind is not on PATH'),
    });
    const present = kindCli({
      run: fakeKind({ version: { stdout: 'kind v0.31.0 go1.25.5 linux/amd64\n' } }).run,
    });
    const noDocker = await kindCandidate({
      cli: present,
      docker: async () => ({ available: false, reason: 'no engine' }),
    }).probe();
    expect(noDocker).toEqual({
      status: 'broken',
      reason: 'kind v0.31.0 go1.25.5 linux/amd64, but Docker is not available: no engine',
    });
    const ready = await kindCandidate({ cli: present, docker: async () => ({ available: true }) }).probe();
    expect(ready).toMatchObject({ status: 'ready', detail: 'kind v0.31.0 go1.25.5 linux/amd64' });
  });
});

describe('cleanKindClusters', () => {
  it('deletes pullstorm-* clusters of dead runs only, and forgets their markers', async () => {
    const markers = await mkdtemp(join(tmpdir(), 'pullstorm-kind-markers-'));
    await writeMarker({ cluster: 'pullstorm-live', runId: 'live', pid: 4242, roots: [] }, markers);
    await writeMarker({ cluster: 'pullstorm-dead', runId: 'dead', pid: 4343, roots: [] }, markers);
    const k = fakeKind({
      version: { stdout: 'kind v0.31.0' },
      'get clusters': { stdout: 'kind\nmy-dev\npullstorm-live\npullstorm-dead\npullstorm-orphan\n' },
    });
    const report = await cleanKindClusters({
      cli: kindCli({ run: k.run }),
      markers,
      alive: (pid) => pid === 4242,
    });
    expect(report.clusters).toEqual(['pullstorm-dead', 'pullstorm-orphan']);
    expect(report.notes).toEqual([
      'kind cluster pullstorm-live belongs to run live (pid 4242), still running; left alone',
    ]);
    expect(k.calls.filter((c) => c[1] === 'delete').map((c) => c[4])).toEqual([
      'pullstorm-dead',
      'pullstorm-orphan',
    ]);
    expect(await readdir(markers)).toEqual(['pullstorm-live.json']);
  });

  it('one run only; kind missing is a note', async () => {
    const k = fakeKind({
      version: { stdout: 'kind v0.31.0' },
      'get clusters': { stdout: 'pullstorm-a\npullstorm-b\n' },
    });
    const markers = await mkdtemp(join(tmpdir(), 'pullstorm-kind-markers-'));
    expect((await cleanKindClusters({ cli: kindCli({ run: k.run }), markers, runId: 'b' })).clusters).toEqual(
      ['pullstorm-b'],
    );
    const none = await cleanKindClusters({
      cli: kindCli({ run: fakeKind({ version: { notFound: true, exitCode: -1 } }).run }),
      markers,
    });
    expect(none).toEqual({
      clusters: [],
      mounts: [],
      notes: ['kind is not installed: no kind clusters checked'],
    });
  });
});
