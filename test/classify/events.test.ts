import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CAUSE_IDS,
  CAUSES,
  classifyEvent,
  diagnoseEvents,
  formatDiagnosis,
} from '../../harness/classify/index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const kubectl = fixture('kubectl-get-events.json');

describe('diagnoseEvents on `kubectl get events -o json`', () => {
  const result = diagnoseEvents(kubectl);
  const pod = (name: string) => result.pods.find((p) => p.pod === name);

  it('lists the pods that failed, by namespace and name, and counts what it read', () => {
    expect(result.pods.map((p) => `${p.namespace}/${p.pod}`)).toEqual([
      'batch/etl-28999999-x7k2p',
      'ci/runner-local',
      'default/tagless-demo',
      'edge/sensor-gw-5b7d9f8c4-q2wzn',
      'payments/ledger-api-0',
      'shop/web-6d5f7c9b8-2xkqz',
      'shop/web-6d5f7c9b8-9fjtw',
    ]);
    expect(result).toMatchObject({ podsSeen: 8, eventsSkipped: 1 });
    expect(result.eventsRead).toBe(JSON.parse(kubectl).items.length - 1);
  });

  it('gives each pod its latest classified failure with evidence and count', () => {
    expect(pod('web-6d5f7c9b8-2xkqz')).toMatchObject({
      container: 'web',
      image: 'nginx:1.27.4',
      cause: 'rate-limited',
      matchedRule: 'http-429',
      count: 3,
      firstSeen: '2025-03-14T09:10:04Z',
      lastSeen: '2025-03-14T09:11:06Z',
      recovered: false,
      remediation: CAUSES['rate-limited'].remediation,
    });
    expect(pod('web-6d5f7c9b8-2xkqz')!.evidence).toContain('host: registry-1.docker.io');
    expect(pod('ledger-api-0')).toMatchObject({
      cause: 'tls-unknown-ca',
      count: 4,
      image: 'registry.internal.example:5000/payments/ledger-api:2.3.0',
    });
    expect(pod('tagless-demo')).toMatchObject({ cause: 'not-found', count: 3 });
    expect(pod('sensor-gw-5b7d9f8c4-q2wzn')).toMatchObject({ cause: 'wrong-platform', count: 4 });
    expect(pod('runner-local')).toMatchObject({
      cause: 'never-pull',
      image: 'runner-local:dev',
      lastSeen: '2025-03-14T09:12:20Z',
      count: 52,
      message: 'Container image "runner-local:dev" is not present with pull policy of Never',
    });
  });

  it('marks a pod that pulled its image after the failure as recovered', () => {
    expect(pod('web-6d5f7c9b8-9fjtw')).toMatchObject({ cause: 'rate-limited', recovered: true });
    expect(pod('web-6d5f7c9b8-9fjtw')!.evidence).toContain(
      'request: HEAD https://registry-1.docker.io/v2/library/nginx/manifests/1.27.4',
    );
  });

  it('reports a pod with back-off events only as having no recorded cause', () => {
    const etl = pod('etl-28999999-x7k2p')!;
    expect(etl.cause).toBeUndefined();
    expect(etl).toMatchObject({
      image: 'registry.internal.example:5000/batch/etl:nightly',
      count: 41,
      matchedRule: null,
    });
    expect(etl.remediation).toContain('kubectl describe pod');
  });

  it('leaves out pods without failures', () => {
    expect(pod('coredns-7c65d6cfc9-lm2xq')).toBeUndefined();
  });

  it('accepts parsed JSON and the API server kind EventList', () => {
    const parsed = { ...JSON.parse(kubectl), kind: 'EventList' };
    expect(diagnoseEvents(parsed)).toEqual(result);
  });
});

describe('diagnoseEvents on events.k8s.io/v1', () => {
  const result = diagnoseEvents(fixture('events-k8s-io.json'));

  it('reads regarding, note, series and deprecated fields', () => {
    expect(result.pods).toHaveLength(2);
    expect(result.pods[0]).toMatchObject({
      pod: 'worker-7f9c-abcde',
      container: 'worker',
      cause: 'dns',
      count: 5,
      lastSeen: '2025-03-14T10:04:12.000811Z',
    });
    expect(result.pods[1]).toMatchObject({
      pod: 'worker-7f9c-defgh',
      cause: 'token-endpoint',
      count: 2,
      lastSeen: '2025-03-14T10:01:00Z',
    });
    expect(result.pods[1]!.evidence).toContain('host: ghcr.io');
  });
});

describe('diagnoseEvents input validation', () => {
  const expected = 'expected a Kubernetes EventList (kind: EventList, items: [...])';
  it.each([
    [
      'text that is not JSON',
      'LAST SEEN   TYPE   REASON   OBJECT   MESSAGE',
      /got text that is not JSON .*"LAST SEEN/,
    ],
    ['a JSON array', '[]', /got an array of 0 element\(s\)/],
    ['null', 'null', /got null$/],
    ['a single event', JSON.stringify({ kind: 'Event', reason: 'Failed' }), /got an object of kind "Event"/],
    ['another list kind', JSON.stringify({ kind: 'PodList', items: [] }), /got kind "PodList"/],
    [
      'a list of pods',
      JSON.stringify({ kind: 'List', items: [{ kind: 'Pod' }, { kind: 'Pod' }] }),
      /items\[0\] has kind "Pod".*items\[1\] has kind "Pod"/,
    ],
    [
      'an item that is not an object',
      JSON.stringify({ kind: 'List', items: ['x'] }),
      /items\[0\] is a string/,
    ],
    [
      'an event about nothing',
      JSON.stringify({ kind: 'EventList', items: [{ reason: 'Failed' }] }),
      /neither involvedObject nor regarding/,
    ],
  ])('rejects %s, saying what it expected and got', (_name, input, got) => {
    expect(() => diagnoseEvents(input)).toThrow(TypeError);
    expect(() => diagnoseEvents(input)).toThrow(expected);
    expect(() => diagnoseEvents(input)).toThrow(got);
  });
});

describe('classifyEvent', () => {
  it('reads a warning that names a known cause as a failure, other warnings as other', () => {
    const exec = classifyEvent({
      reason: 'Failed',
      type: 'Warning',
      message:
        'Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec /app: exec format error: unknown',
    });
    expect(exec).toMatchObject({ role: 'failed', classification: { cause: 'exec-format' } });
    const probe = classifyEvent({
      reason: 'Unhealthy',
      type: 'Warning',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    });
    expect(probe).toEqual({ role: 'other' });
  });

  it('reads statuses that name their cause', () => {
    expect(
      classifyEvent({ reason: 'Failed', type: 'Warning', message: 'Error: ErrImageNeverPull' }),
    ).toMatchObject({ role: 'status', classification: { cause: 'never-pull' } });
    expect(
      classifyEvent({ reason: 'Failed', type: 'Warning', message: 'Error: InvalidImageName' }),
    ).toMatchObject({ role: 'status', classification: { cause: 'invalid-name' } });
  });

  it('reads InspectFailed for an unparsable name', () => {
    const message = `Failed to apply default image tag "Nginx:Latest ": couldn't parse image reference "Nginx:Latest ": invalid reference format`;
    expect(classifyEvent({ reason: 'InspectFailed', type: 'Warning', message })).toMatchObject({
      role: 'failed',
      image: 'Nginx:Latest ',
      classification: { cause: 'invalid-name' },
    });
  });

  it('keeps an unrecognised pull failure as a failure, unclassified', () => {
    const event = classifyEvent({
      reason: 'Failed',
      type: 'Warning',
      message: 'Failed to pull image "x:1": something new',
    });
    expect(event).toMatchObject({ role: 'failed', image: 'x:1', classification: { cause: 'unclassified' } });
  });
});

describe('formatDiagnosis', () => {
  const text = formatDiagnosis(diagnoseEvents(kubectl));

  it('prints a table row per pod and a paragraph per cause with the fix once', () => {
    expect(text).toMatch(/^7 pod\(s\) with image pull failures \(8 pod\(s\) seen/);
    expect(text).toMatch(/^POD +IMAGE +CAUSE +COUNT +LAST SEEN +STATE$/m);
    expect(text).toMatch(
      /^shop\/web-6d5f7c9b8-2xkqz \(web\) +nginx:1\.27\.4 +rate-limited +3 +2025-03-14T09:11:06Z +failing$/m,
    );
    expect(text).toMatch(/^shop\/web-6d5f7c9b8-9fjtw \(web\) .* recovered$/m);
    expect(text).toContain('rate-limited: Registry rate limit (HTTP 429) (2 pod(s))');
    expect(text.match(/Fix: The registry throttled/g)).toHaveLength(1);
    expect(text).toContain('back-off: Back-off without a recorded failure (1 pod(s))');
    expect(text).toContain(
      '  shop/web-6d5f7c9b8-9fjtw\n    status: 429 Too Many Requests\n    request: HEAD https://',
    );
    // Prose wraps at the width; evidence (four spaces in) stays whole so it can be copied.
    for (const line of text.split('\n').filter((l) => l.startsWith('  ') && !l.startsWith('    '))) {
      expect(line.length).toBeLessThanOrEqual(100);
    }
  });

  it('says so when nothing failed', () => {
    expect(formatDiagnosis({ pods: [], podsSeen: 2, eventsRead: 5, eventsSkipped: 0, imageEvents: {} })).toBe(
      'No image pull failures (2 pod(s) seen, 5 event(s) read, 0 about other objects).',
    );
  });

  it('caps the pods listed under one cause', () => {
    const one = diagnoseEvents(kubectl).pods[0]!;
    const many = Array.from({ length: 8 }, (_, i) => ({ ...one, pod: `p${i}` }));
    expect(
      formatDiagnosis(
        { pods: many, podsSeen: 8, eventsRead: 8, eventsSkipped: 0, imageEvents: {} },
        { podsPerCause: 3 },
      ),
    ).toContain('… and 5 more');
  });
});

describe('CAUSES', () => {
  it('describes every cause with a title and a remediation', () => {
    expect(Object.keys(CAUSES)).toEqual([...CAUSE_IDS]);
    for (const id of CAUSE_IDS) {
      expect(CAUSES[id]).toMatchObject({ id, title: expect.any(String), remediation: expect.any(String) });
      expect(CAUSES[id].remediation.length).toBeGreaterThan(60);
    }
  });
});

describe('diagnose leaves nothing about an image out', () => {
  const event = (pod: string, reason: string, message: string, count = 1) => ({
    kind: 'Event',
    type: reason === 'Pulling' ? 'Normal' : 'Warning',
    reason,
    message,
    count,
    involvedObject: { kind: 'Pod', name: pod, namespace: 'shop' },
    lastTimestamp: '2026-12-01T10:00:00Z',
  });
  const list = {
    kind: 'List',
    items: [
      // CRI-O's wording of a vanished image, which no rule knows.
      event('web-1', 'Failed', 'Error: image not known', 3),
      event(
        'web-2',
        'InspectFailed',
        'Failed to inspect image "nginx": rpc error: code = Unknown desc = no registries configured while trying to pull an unqualified image',
      ),
      event(
        'web-3',
        'Evicted',
        'The node was low on resource: ephemeral-storage. Container app was using 34260Ki, which exceeds its request of 0.',
      ),
      event(
        'web-4',
        'Failed',
        'Failed to pull image "a:1": rpc error: code = Unknown desc = context canceled',
        2,
      ),
      event('web-4', 'Failed', 'Error: ErrImagePull', 2),
      event('web-4', 'BackOff', 'Back-off pulling image "a:1"', 5),
      // Not about an image: a container that would not start.
      event(
        'web-5',
        'Failed',
        'Error: failed to create containerd task: failed to start shim: context deadline exceeded',
      ),
    ],
  };

  it('reports every image event as a pod diagnosis, classified or unclassified', () => {
    const pods = diagnoseEvents(list).pods.map((p) => [p.pod, p.cause, p.count]);
    expect(pods).toEqual([
      ['web-1', 'unclassified', 3],
      ['web-2', 'short-name', 1],
      ['web-3', 'disk-full', 1],
      ['web-4', 'canceled', 2],
    ]);
  });

  it('counts each image event by cause in the summary, kubelet repeats apart', () => {
    const result = diagnoseEvents(list);
    expect(result.imageEvents).toEqual({
      unclassified: 3,
      'short-name': 1,
      'disk-full': 1,
      canceled: 2,
      repeat: 7,
    });
    expect(formatDiagnosis(result)).toContain(
      'Image-pull events: 14 (short-name 1, canceled 2, disk-full 1, unclassified 3, repeat 7)',
    );
  });
});
