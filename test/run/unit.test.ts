/**
 * The runner's pure parts: the action stack (order, undo in reverse, every undo runs), names and
 * run ids, the settle window, the checks before a run, and the suite's worst exit code.
 */
import { describe, expect, it } from 'vitest';
import { ActionStack } from '../../harness/backends/actions.ts';
import { newRunId, podImage, pullSecrets, registryHost, runOutDir } from '../../harness/backends/names.ts';
import { FAILING_SETTLE_MS, RECOVERY_LAG_MS, SETTLE_MS, settleWindowMs } from '../../harness/run/observe.ts';
import { checkRunnable, onPath } from '../../harness/run/preflight.ts';
import { worstExitCode } from '../../harness/run/suite.ts';
import { podTemplate } from '../../harness/run/timeline.ts';
import { applyDefaults, ScenarioError, type ScenarioInput } from '../../harness/scenario/index.ts';
import type { Scenario } from '../../harness/scenario/resolved.ts';

const scenario = (extra: Partial<ScenarioInput> = {}) =>
  applyDefaults({
    apiVersion: 'pullstorm.dev/v1alpha1',
    kind: 'Scenario',
    name: 's',
    workload: [{ kind: 'pod', name: 'p', image: 'registry/pullstorm/tiny:1.0' }],
    ...extra,
  });

describe('ActionStack', () => {
  const never = new AbortController().signal;

  it('undoes what was done in reverse, every step even when one fails, and says which failed', async () => {
    const stack = new ActionStack();
    const order: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      await stack.do(
        {
          name,
          run: async () => ({
            value: name,
            undo: () => {
              order.push(name);
              if (name === 'b') throw new Error('stuck');
            },
          }),
        },
        never,
      );
    }
    await expect(stack.undoAll()).rejects.toThrow('teardown: undo b: stuck');
    expect(order).toEqual(['c', 'b', 'a']);
    // Idempotent: a second teardown does not undo twice.
    await expect(stack.undoAll()).rejects.toThrow('undo b');
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('counts the failed undo steps so far, for a later step to act on, and names its teardown by label', async () => {
    const stack = new ActionStack();
    const seen: number[] = [];
    stack.defer('last', () => void seen.push(stack.failed));
    stack.defer('broken', () => {
      throw new Error('stuck');
    });
    stack.defer('first', () => void seen.push(stack.failed));
    await expect(stack.undoAll({ label: 'kind teardown' })).rejects.toThrow(
      'kind teardown: undo broken: stuck',
    );
    expect(seen).toEqual([0, 1]);
  });

  it('keeps what an action made when the run is aborted meanwhile, so teardown removes it', async () => {
    const stack = new ActionStack();
    const abort = new AbortController();
    const undone: string[] = [];
    const action = {
      name: 'slow',
      run: async () => {
        abort.abort(new Error('interrupted'));
        return { value: 1, undo: () => void undone.push('slow') };
      },
    };
    await expect(stack.do(action, abort.signal)).rejects.toThrow('interrupted');
    expect(stack.done).toEqual(['slow']);
    await stack.undoAll();
    expect(undone).toEqual(['slow']);
  });

  it('bounds a hung undo and goes on with the rest', async () => {
    const stack = new ActionStack();
    const undone: string[] = [];
    stack.defer('first', () => void undone.push('first'));
    stack.defer('hung', () => new Promise(() => {}));
    await expect(stack.undoAll({ stepTimeoutMs: 50 })).rejects.toThrow(
      'undo hung did not finish within 50 ms',
    );
    expect(undone).toEqual(['first']);
  });
});

describe('names', () => {
  it('makes run ids <scenario>-<yyyymmdd-hhmmss>-<4 hex> in UTC', () => {
    expect(newRunId('rate-limit', new Date('2026-01-02T03:04:05Z'))).toMatch(
      /^rate-limit-20260102-030405-[0-9a-f]{4}$/,
    );
  });

  it('maps scenario images to the stable registry host every node resolves through hosts.toml', () => {
    expect(registryHost('hub')).toBe('hub.pullstorm.test:5000');
    expect(podImage({ registry: 'hub', repository: 'pullstorm/tiny', tag: '1.0' })).toBe(
      'hub.pullstorm.test:5000/pullstorm/tiny:1.0',
    );
    // No tag stays no tag: kubelet appends :latest and defaults the policy to Always.
    expect(podImage({ registry: 'hub', repository: 'a/b' })).toBe('hub.pullstorm.test:5000/a/b');
    expect(runOutDir('r-1', undefined, '/runs')).toBe('/runs/r-1');
    expect(runOutDir('r-1', '/exact')).toBe('/exact');
  });

  it('gives pods the policy, pull secret and node selector of their workload entry', () => {
    const s = scenario({
      registries: [
        { name: 'registry', auth: { mode: 'token', users: [{ username: 'ci', password: 'pw' }] } },
      ],
      workload: [
        {
          kind: 'pod',
          name: 'p',
          image: 'registry/pullstorm/tiny',
          pullSecret: 'ci',
          nodeSelector: ['node'],
        },
      ],
    });
    expect(podTemplate(s.workload[0]!)).toEqual({
      image: 'registry.pullstorm.test:5000/pullstorm/tiny',
      imagePullPolicy: 'Always',
      imagePullSecrets: ['registry-ci'],
      nodeSelector: ['node'],
    });
    expect(pullSecrets(s)).toEqual({ 'registry-ci': { username: 'ci', password: 'pw' } });
  });
});

describe('settle window', () => {
  it('is 60 s, stretched to the longest expectation bound and to kubelet backoff after a clear', () => {
    expect(settleWindowMs(scenario())).toBe(SETTLE_MS);
    expect(settleWindowMs(scenario({ expectations: [{ type: 'allPodsRunning', within: '2m' }] }))).toBe(
      120_000,
    );
    const clearing = { fault: 'refused', at: '0s', for: '10s' } as const;
    expect(settleWindowMs(scenario({ faults: [clearing] }))).toBe(RECOVERY_LAG_MS);
    const failing = scenario({
      expectations: [{ type: 'podsFailing', reason: 'ImagePullBackOff', atLeast: 1 }],
    });
    expect(settleWindowMs(failing)).toBe(FAILING_SETTLE_MS);
    const bounded = scenario({
      faults: [clearing],
      expectations: [{ type: 'recoveredWithin', within: '90s' }],
    });
    expect(settleWindowMs(bounded)).toBe(90_000);
  });

  it('waits as long as a fallbackTime bound: a pull may be silent that long while a mirror is down', () => {
    const down = scenario({
      faults: [{ id: 'down', fault: 'refused', at: '0s' }],
      expectations: [{ type: 'fallbackTime', fault: 'down', under: '2m30s' }],
    });
    expect(settleWindowMs(down)).toBe(150_000);
  });
});

/** What `checkRunnable` threw for `s` (undefined when it did not throw). */
function refusal(s: Scenario): unknown {
  try {
    checkRunnable(s, 'x.yaml');
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('checks before a run', () => {
  it('lists every reason this runner cannot run a valid scenario', () => {
    const s = scenario({
      backend: {
        type: 'kind',
        nodes: [
          { name: 'pi', platform: 'linux/s390x' },
          { name: 'edge', kind: 'virtual' },
        ],
      },
      registries: [{ name: 'registry', mirrors: [{ name: 'cache' }] }],
      faults: [{ fault: 'disk-full', scope: { nodes: ['edge'] } }],
    });
    const error = refusal(s);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems.map((p) => p.path)).toEqual([
      'backend.nodes',
      'backend.nodes[0]',
      'faults[0].scope.nodes',
      'registries[0].mirrors[0].type',
    ]);
    expect((error as Error).message).toContain(
      'backend kind runs real nodes only (virtual nodes need backend containerd), got virtual: edge',
    );
    expect((error as Error).message).toContain(
      'a distribution mirror is started on this machine, next to embedded nodes; the kind backend cannot reach it yet',
    );
  });

  it('refuses what an existing cluster cannot do before contacting it', () => {
    const s = scenario({
      backend: { type: 'kubeconfig', nodes: [{ name: 'a', diskBytes: '64Mi' }, { name: 'b' }] },
      faults: [
        { fault: 'dns', scope: { nodes: ['a'] } },
        { fault: 'refused', scope: { nodes: ['b'] } },
      ],
    });
    const error = refusal(s);
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as Error).message;
    expect(message).toContain('kubeconfig: nodeFaults: the scenario has a dns fault');
    expect(message).toContain('kubeconfig: perNodeNetwork: a fault is scoped to nodes');
    expect(message).toContain('cannot limit their disk; remove diskBytes');
    // The same scenario is fine where nodes are ours.
    expect(() => checkRunnable({ ...s, backend: { ...s.backend, type: 'containerd' } })).not.toThrow();
  });

  it('finds executables on a PATH', async () => {
    expect(await onPath('sh', '/bin:/usr/bin')).toBe(true);
    expect(await onPath('containerd', '/nonexistent')).toBe(false);
  });

  it('ranks exit codes: interrupted, harness, usage, failed, pass', () => {
    expect(worstExitCode([0, 1, 0])).toBe(1);
    expect(worstExitCode([1, 3, 2])).toBe(3);
    expect(worstExitCode([3, 130])).toBe(130);
    expect(worstExitCode([])).toBe(0);
  });
});
