/**
 * Kubernetes objects (recorded as `kubectl get -o json` prints them) into pullstorm's events: the
 * same `k8s.event` / `pod.state` shapes the embedded cluster writes.
 */
import { readFileSync } from 'node:fs';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  digestOf,
  eventSignature,
  podStateSignature,
  toKubeEvent,
  toPodState,
  toPodStatus,
} from '../../../harness/backends/kubeconfig/mapping.ts';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as T;
const events = fixture<{ items: CoreV1Event[] }>('events.json').items;

describe('pods', () => {
  it('ErrImagePull: waiting reason and the kubelet message, node and deployment', () => {
    const status = toPodStatus(fixture<V1Pod>('pod-errimagepull.json'));
    expect(status).toMatchObject({
      name: 'storm-6d9f7c5b8-x2x4q',
      namespace: 'pullstorm-rate-limit-20260302-101500-3f9a',
      node: 'pullstorm-rate-limit-20260302-101500-3f9a-worker2',
      deployment: 'storm',
      phase: 'Pending',
      reason: 'ErrImagePull',
      restartCount: 0,
      createdAt: '2026-03-02T10:15:01.000Z',
    });
    expect(status.message).toContain('429 Too Many Requests');
    expect(status).not.toHaveProperty('imageDigest');
    const state = toPodState(status, '2026-03-02T10:15:05.000Z');
    expect(state).toEqual({
      kind: 'pod.state',
      time: '2026-03-02T10:15:05.000Z',
      pod: status.name,
      namespace: status.namespace,
      node: status.node,
      phase: 'Pending',
      reason: 'ErrImagePull',
      message: status.message,
      image: 'hub.pullstorm.test:5000/pullstorm/tiny:1.0',
    });
  });

  it('Running: no reason, the digest from imageID', () => {
    const status = toPodStatus(fixture<V1Pod>('pod-running.json'));
    expect(status.phase).toBe('Running');
    expect(status.reason).toBeUndefined();
    expect(status.imageDigest).toBe(
      'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b',
    );
  });

  it('CrashLoopBackOff (exec format error after a good pull): waiting reason, restarts, bare sha256 imageID', () => {
    const status = toPodStatus(fixture<V1Pod>('pod-crashloop.json'));
    expect(status).toMatchObject({ phase: 'Running', reason: 'CrashLoopBackOff', restartCount: 3 });
    expect(status.imageDigest).toMatch(/^sha256:9e1f/);
  });

  it('unschedulable: the PodScheduled condition is the reason', () => {
    const status = toPodStatus(fixture<V1Pod>('pod-unschedulable.json'));
    expect(status).toMatchObject({ phase: 'Pending', reason: 'Unschedulable', node: '' });
    expect(status.message).toContain("didn't match Pod's node affinity");
  });

  it('scheduled without a container status yet: ContainerCreating', () => {
    expect(
      toPodStatus({
        metadata: { name: 'x' },
        spec: { nodeName: 'n', containers: [] },
        status: { phase: 'Pending' },
      }).reason,
    ).toBe('ContainerCreating');
  });

  it('a typed API object (Date timestamps) maps like a raw watch object', () => {
    const raw = fixture<V1Pod>('pod-running.json');
    const typed = {
      ...raw,
      metadata: { ...raw.metadata, creationTimestamp: new Date('2026-03-02T10:15:02Z') },
    };
    expect(toPodStatus(typed)).toEqual(toPodStatus(raw));
  });

  it('pod.state is emitted on a change of node, phase, reason, message or digest only', () => {
    const a = toPodStatus(fixture<V1Pod>('pod-errimagepull.json'));
    expect(podStateSignature({ ...a, restartCount: 5 })).toBe(podStateSignature(a));
    expect(podStateSignature({ ...a, reason: 'ImagePullBackOff' })).not.toBe(podStateSignature(a));
  });

  it('digestOf', () => {
    expect(digestOf(undefined)).toBeUndefined();
    expect(digestOf('')).toBeUndefined();
    expect(digestOf('docker.io/library/x@sha256:'.padEnd(91, 'a'))).toBe(`sha256:${'a'.repeat(64)}`);
  });
});

describe('events', () => {
  const mapped = events.map((e) => toKubeEvent(e));

  it('scheduler events (events.k8s.io): reportingComponent and eventTime stand in for source and timestamps', () => {
    expect(mapped[0]).toEqual({
      kind: 'k8s.event',
      time: '2026-03-02T10:15:01.123Z',
      involvedObject: {
        kind: 'Pod',
        name: 'storm-6d9f7c5b8-x2x4q',
        namespace: 'pullstorm-rate-limit-20260302-101500-3f9a',
        uid: '5b0f3c2e-9a0d-4f0e-8a33-0f2b7f3f6b21',
      },
      reason: 'Scheduled',
      type: 'Normal',
      message: expect.stringContaining('Successfully assigned'),
      source: { component: 'default-scheduler' },
      firstTimestamp: '2026-03-02T10:15:01.123Z',
      lastTimestamp: '2026-03-02T10:15:01.123Z',
      count: 1,
    });
  });

  it('kubelet events keep source host, field path, counts and timestamps', () => {
    expect(mapped[2]).toMatchObject({
      reason: 'Failed',
      type: 'Warning',
      count: 3,
      firstTimestamp: '2026-03-02T10:15:02.000Z',
      lastTimestamp: '2026-03-02T10:15:41.000Z',
      time: '2026-03-02T10:15:41.000Z',
      source: { component: 'kubelet', host: 'pullstorm-rate-limit-20260302-101500-3f9a-worker2' },
      involvedObject: { fieldPath: 'spec.containers{app}' },
    });
    expect(mapped[2]!.message).toMatch(
      /^Failed to pull image "hub\.pullstorm\.test:5000\/pullstorm\/tiny:1\.0": /,
    );
    expect(mapped[3]).toMatchObject({ reason: 'BackOff', type: 'Normal', count: 5 });
  });

  it('ReplicaSet and Deployment events are kept (a refused pod leaves only FailedCreate); other kinds are dropped; Node events are kept', () => {
    expect(mapped[4]).toMatchObject({
      involvedObject: { kind: 'ReplicaSet', name: 'storm-6d9f7c5b8' },
      reason: 'SuccessfulCreate',
      source: { component: 'replicaset-controller' },
    });
    const failedCreate = {
      ...events[4]!,
      reason: 'FailedCreate',
      type: 'Warning',
      message:
        'Error creating: pods "storm-6d9f7c5b8-abcde" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true',
    };
    expect(toKubeEvent(failedCreate)).toMatchObject({ reason: 'FailedCreate', type: 'Warning' });
    const deployment = { ...events[4]!, involvedObject: { kind: 'Deployment', name: 'storm' } };
    expect(toKubeEvent(deployment)?.involvedObject.kind).toBe('Deployment');
    const service = { ...events[4]!, involvedObject: { kind: 'Service', name: 'x' } };
    expect(toKubeEvent(service)).toBeUndefined();
    expect(mapped[5]).toMatchObject({
      involvedObject: { kind: 'Node' },
      reason: 'FreeDiskSpaceFailed',
      type: 'Warning',
    });
  });

  it('a repeat changes the signature', () => {
    const again = toKubeEvent({ ...events[2]!, count: 4, lastTimestamp: new Date('2026-03-02T10:16:21Z') })!;
    expect(eventSignature(again)).not.toBe(eventSignature(mapped[2]!));
  });
});
