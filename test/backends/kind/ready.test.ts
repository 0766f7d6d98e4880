/** Waiting for every kind node Ready: kind's --wait covers the control-plane only. */
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { readiness, waitNodesReady } from '../../../harness/backends/kind/ready.ts';

const node = (name: string, ready: boolean | undefined, reason?: string, message?: string): V1Node => ({
  metadata: { name },
  status: {
    conditions:
      ready === undefined
        ? []
        : [
            {
              type: 'Ready',
              status: ready ? 'True' : 'False',
              ...(reason ? { reason } : {}),
              ...(message ? { message } : {}),
            },
          ],
  },
});

/** A fake clock the fake sleep advances, so a 120 s timeout costs nothing. */
function clock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe('waitNodesReady', () => {
  it('waits past a Ready control-plane until the workers are Ready too (what --wait alone would not)', async () => {
    const answers = [
      [
        node('c-control-plane', true),
        node('c-worker', false, 'KubeletNotReady', 'container runtime network not ready'),
      ],
      [node('c-control-plane', true), node('c-worker', false), node('c-worker2', undefined)],
      [node('c-control-plane', true), node('c-worker', true), node('c-worker2', true)],
    ];
    let calls = 0;
    const api = { listNodes: async () => answers[Math.min(calls++, answers.length - 1)]! };
    await waitNodesReady(api, 3, { ...clock() });
    expect(calls).toBe(3);
  });

  it('fails after the timeout naming every node that is not Ready and why', async () => {
    const api = {
      listNodes: async () => [
        node('c-control-plane', true),
        node(
          'c-worker',
          false,
          'KubeletNotReady',
          'container runtime network not ready: cni plugin not initialized',
        ),
      ],
    };
    await expect(waitNodesReady(api, 3, { timeoutMs: 5_000, ...clock() })).rejects.toThrow(
      "kind: the cluster's nodes were not all Ready after 5 s (kind create cluster --wait covers the control-plane only): 1 of 3 nodes Ready; c-worker NotReady (KubeletNotReady: container runtime network not ready: cni plugin not initialized); 1 not registered yet",
    );
  });

  it('rides out a failing API server until the deadline, then says so', async () => {
    const api = {
      listNodes: async (): Promise<V1Node[]> => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
      },
    };
    await expect(waitNodesReady(api, 1, { timeoutMs: 2_000, ...clock() })).rejects.toThrow(
      /listing nodes failed: connect ECONNREFUSED 127\.0\.0\.1:6443$/,
    );
  });

  it('readiness reads the Ready condition', () => {
    expect(readiness(node('a', true))).toEqual({ ready: true, text: 'Ready' });
    expect(readiness(node('a', undefined)).text).toBe('NotReady (no Ready condition yet)');
  });
});
