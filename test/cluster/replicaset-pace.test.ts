import { describe, expect, test } from 'vitest';
import { createDeployments } from '../../harness/cluster/deployments.ts';
import { burstReplicas, controllerBurst, controllerQps } from '../../harness/cluster/replicaset-pace.ts';
import type { PodSpec, PodStatus } from '../../harness/cluster/types.ts';
import { ManualClock } from '../../harness/kubelet/clock.ts';

/** A host that records pods and the clock time each was created at. */
function host(clock: ManualClock) {
  const pods = new Map<string, PodStatus>();
  const created: number[] = [];
  let turns = 0;
  return {
    created,
    turns: () => turns,
    host: {
      clock,
      createPod(spec: PodSpec, deployment: string): PodStatus {
        created.push(clock.now());
        const status = { name: spec.name, deployment, phase: 'Pending', createdAt: '' } as PodStatus;
        pods.set(spec.name, status);
        return status;
      },
      deletePod: async (name: string) => void pods.delete(name),
      pods: () => {
        turns++;
        return [...pods.values()];
      },
      hasPod: (name: string) => pods.has(name),
    },
  };
}

describe('a deployment creates pods at the ReplicaSet controller pace', () => {
  test('the constants are kube-controller-manager’s defaults and replicaset.BurstReplicas', () => {
    expect([controllerQps, controllerBurst, burstReplicas]).toEqual([20, 30, 500]);
  });

  test('1,000 pods: 30 at once (the burst), then 20 per second, so the last one after 48.5 s', async () => {
    const clock = new ManualClock(0);
    const h = host(clock);
    const d = createDeployments(h.host);
    const creating = d.create({ name: 'web', replicas: 1000, template: { image: 'x' } });
    await clock.advance(0);
    expect(h.created).toHaveLength(30);
    await clock.advance(1000);
    expect(h.created).toHaveLength(50);
    await clock.advance(60_000);
    await creating;
    expect(h.created).toHaveLength(1000);
    expect(h.created.at(-1)).toBe(48_500);
    // No scan of every pod per create: the pod list is read once per scale, names are checked by hasPod.
    expect(h.turns()).toBe(1);
  });

  test('a ramp slower than the limiter keeps its own schedule', async () => {
    const clock = new ManualClock(0);
    const h = host(clock);
    const d = createDeployments(h.host);
    await d.create({ name: 'web', replicas: 0, template: { image: 'x' } });
    const scaling = d.scale('web', 4, { rampMs: 4000 });
    await clock.advance(5000);
    await scaling;
    expect(h.created).toEqual([0, 1000, 2000, 3000]);
  });
});
