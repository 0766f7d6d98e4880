/**
 * The backend interface (harness/backends/provider.ts): detection in order with "not applicable"
 * versus "broken", every attempt logged and the final error naming all; capability checks.
 * (Kept with the Kubernetes backends' tests, whose candidates it orders.)
 */
import { describe, expect, it } from 'vitest';
import { KIND_INFO } from '../../../harness/backends/kind/backend.ts';
import { KUBECONFIG_INFO } from '../../../harness/backends/kubeconfig/backend.ts';
import {
  type Backend,
  type BackendCandidate,
  BackendUnavailableError,
  detectBackend,
  missingCapabilities,
} from '../../../harness/backends/provider.ts';
import type { Scenario } from '../../../harness/scenario/resolved.ts';

const backend = { info: () => KIND_INFO } as unknown as Backend;
const candidate = (
  name: string,
  type: 'kind' | 'kubeconfig',
  probe: BackendCandidate['probe'],
): BackendCandidate => ({ name, type, probe });

describe('detectBackend', () => {
  it('skips not-applicable and broken candidates, logs each, returns the first ready one', async () => {
    const lines: string[] = [];
    const found = await detectBackend('kubeconfig', {
      log: (l) => lines.push(l),
      candidates: [
        candidate('kind', 'kind', async () => ({
          status: 'ready',
          detail: 'never asked',
          create: () => backend,
        })),
        candidate('kubeconfig (context a)', 'kubeconfig', async () => ({
          status: 'not-applicable',
          reason: 'no context a',
        })),
        candidate('kubeconfig (context b)', 'kubeconfig', async () => ({
          status: 'broken',
          reason: 'API server did not answer',
        })),
        candidate('kubeconfig (context c)', 'kubeconfig', async () => ({
          status: 'ready',
          detail: 'c, v1.35',
          create: () => backend,
        })),
      ],
    });
    expect(found.name).toBe('kubeconfig (context c)');
    expect(found.backend).toBe(backend);
    expect(lines).toEqual([
      'backend kubeconfig (context a): not applicable: no context a',
      'backend kubeconfig (context b): broken: API server did not answer',
      'backend kubeconfig (context c): ready (c, v1.35)',
    ]);
  });

  it('names every candidate tried when none works; a throwing probe counts as broken', async () => {
    const cause = new Error('docker socket: permission denied');
    const error = await detectBackend('kind', {
      candidates: [
        candidate('kind', 'kind', async () => ({ status: 'not-applicable', reason: 'kind is not on PATH' })),
        candidate('kind (podman)', 'kind', async () => {
          throw cause;
        }),
      ],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const e = error as BackendUnavailableError;
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.message).toBe(
      "no working 'kind' backend; tried kind: not applicable (kind is not on PATH); kind (podman): broken (docker socket: permission denied)",
    );
    expect(e.attempts.map((a) => a.status)).toEqual(['not-applicable', 'broken']);
    expect((e.cause as AggregateError).errors).toEqual([cause]);
  });

  it('says so when no candidate serves the type', async () => {
    await expect(detectBackend('containerd', { candidates: [] })).rejects.toThrow(
      "no backend candidate serves type 'containerd'",
    );
  });
});

describe('missingCapabilities', () => {
  const scenario = (faults: { fault: string; nodes?: string[] }[]) =>
    ({
      faults: faults.map((f) => ({
        fault: f.fault,
        scope: { route: 'any', probability: 1, ...(f.nodes ? { nodes: f.nodes } : {}) },
      })),
    }) as unknown as Scenario;

  it('kind: disk and dns faults yes, node-scoped connection faults no', () => {
    expect(
      missingCapabilities(KIND_INFO, scenario([{ fault: 'disk-full' }, { fault: 'dns', nodes: ['a'] }])),
    ).toEqual([]);
    expect(missingCapabilities(KIND_INFO, scenario([{ fault: 'rate-limit', nodes: ['a'] }]))).toEqual([
      'kind: perNodeNetwork: a fault is scoped to nodes',
    ]);
  });

  it('kind and kubeconfig: TCP- and TLS-layer faults apply (the stubs serve through a front door), but not to chosen nodes', () => {
    const faults = scenario([{ fault: 'refused' }, { fault: 'tls-expired' }, { fault: 'server-error' }]);
    expect(missingCapabilities(KIND_INFO, faults)).toEqual([]);
    expect(
      missingCapabilities(KUBECONFIG_INFO, scenario([{ fault: 'refused' }, { fault: 'tls-stall' }])),
    ).toEqual([]);
    const perNode = scenario([{ fault: 'refused', nodes: ['a'] }]);
    expect(missingCapabilities(KIND_INFO, perNode)).toEqual([
      'kind: perNodeNetwork: a fault is scoped to nodes',
    ]);
    expect(missingCapabilities(KUBECONFIG_INFO, perNode)).toEqual([
      'kubeconfig: perNodeNetwork: a fault is scoped to nodes',
    ]);
    // A backend without front doors is still refused up front.
    const doorless = { ...KIND_INFO, capabilities: { ...KIND_INFO.capabilities, connectionFaults: false } };
    expect(missingCapabilities(doorless, faults)).toEqual([
      'kind: connectionFaults: the scenario has refused, tls-expired (TCP/TLS-layer faults)',
    ]);
  });

  it('kubeconfig: certificate faults are refused up front, saying why (nodes never verify a localhost stub), instead of passing silently', () => {
    const faults = scenario([{ fault: 'tls-expired' }, { fault: 'tls-plain-http' }, { fault: 'refused' }]);
    const [line, ...rest] = missingCapabilities(KUBECONFIG_INFO, faults);
    expect(rest).toEqual([]);
    expect(line).toMatch(
      /^kubeconfig: verifiesTls: the scenario has tls-expired, tls-plain-http, which cannot fail a pull where nodes do not verify the stub's certificate \(nodes reach the stub at localhost:<random nodePort>.*use the kind or containerd backend\)$/,
    );
    expect(missingCapabilities(KIND_INFO, faults)).toEqual([]);
  });

  it('kubeconfig: no node faults at all', () => {
    expect(
      missingCapabilities(
        KUBECONFIG_INFO,
        scenario([{ fault: 'disk-full' }, { fault: 'dns' }, { fault: 'rate-limit' }]),
      ),
    ).toEqual([
      'kubeconfig: diskFaults: the scenario has a disk-full fault',
      'kubeconfig: nodeFaults: the scenario has a dns fault',
    ]);
  });
});
