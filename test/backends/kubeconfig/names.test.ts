/** Run names and selectors: every selector carries the run id, and long or odd ids stay valid and distinct. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterName } from '../../../harness/backends/kind/names.ts';
import { assertRunSelector } from '../../../harness/backends/kubeconfig/api.ts';
import { podManifest, pullSecretManifest } from '../../../harness/backends/kubeconfig/manifests.ts';
import {
  dnsName,
  kubeObjectName,
  kubeRunLabels,
  LABEL_RUN_ID,
  runLabelValue,
  runNamespace,
  runSelector,
} from '../../../harness/backends/kubeconfig/names.ts';

const runId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/);
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

describe('run names', () => {
  it('keeps a short valid id as it is', () => {
    const id = 'rate-limit-20260302-101500-3f9a';
    expect(runLabelValue(id)).toBe(id);
    expect(runNamespace(id)).toBe(`pullstorm-${id}`);
    expect(runSelector(id)).toBe(`${LABEL_RUN_ID}=${id}`);
    expect(kubeRunLabels(id, 'workload')).toEqual({
      pullstorm: 'true',
      'pullstorm.run-id': id,
      'pullstorm.component': 'workload',
    });
  });

  it('shortens long ids with a hash and lower-cases namespaces', () => {
    const id = `A_${'x'.repeat(100)}`;
    expect(runLabelValue(id)).toMatch(LABEL_VALUE);
    expect(runLabelValue(id).length).toBeLessThanOrEqual(63);
    expect(runNamespace(id)).toMatch(DNS_LABEL);
    expect(dnsName('pullstorm', 'UPPER')).toMatch(/^pullstorm-upper-[0-9a-f]{8}$/);
  });

  it('every selector includes the run id, whatever else it selects (property)', () => {
    fc.assert(
      fc.property(
        runId,
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/)),
        (id, extra) => {
          const selector = runSelector(id, { ...extra, [LABEL_RUN_ID]: 'someone-else' });
          expect(selector.split(',')).toContain(`${LABEL_RUN_ID}=${runLabelValue(id)}`);
          expect(selector.split(',').filter((t) => t.startsWith(`${LABEL_RUN_ID}=`))).toHaveLength(1);
          expect(() => assertRunSelector(selector)).not.toThrow();
        },
      ),
    );
  });

  it('label values, namespaces and kind cluster names are valid and distinct for distinct ids (property)', () => {
    fc.assert(
      fc.property(runId, runId, (a, b) => {
        for (const id of [a, b]) {
          expect(runLabelValue(id)).toMatch(LABEL_VALUE);
          expect(runNamespace(id)).toMatch(DNS_LABEL);
          expect(clusterName(id)).toMatch(DNS_LABEL);
          expect(`${clusterName(id)}-control-plane`.length).toBeLessThanOrEqual(63);
        }
        if (a !== b) {
          expect(runLabelValue(a)).not.toBe(runLabelValue(b));
          expect(runNamespace(a)).not.toBe(runNamespace(b));
        }
      }),
    );
  });

  it('refuses a delete selector without the run id', () => {
    for (const bad of ['', 'pullstorm=true', 'app=web,pullstorm.run-id=', 'pullstorm.run-id!=x']) {
      expect(() => assertRunSelector(bad)).toThrow(TypeError);
    }
    expect(() => runLabelValue('-bad')).toThrow(TypeError);
  });

  it('object names from user names (pull secrets): valid names kept, others made DNS-1123 with a hash, never equal for different inputs (property)', () => {
    expect(kubeObjectName('hub-ci')).toBe('hub-ci');
    expect(kubeObjectName('hub-Build_Bot')).toMatch(/^hub-build-bot-[0-9a-f]{8}$/);
    expect(kubeObjectName('hub-ci@example.com')).toMatch(/^hub-ci-example.com-[0-9a-f]{8}$/);
    const subdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 300 }),
        (a, b) => {
          expect(kubeObjectName(a)).toMatch(subdomain);
          if (a !== b) expect(kubeObjectName(a)).not.toBe(kubeObjectName(b));
        },
      ),
    );
  });

  it('a pod names the pull secret exactly as the Secret is named, for a user with capitals and _ (422 before)', () => {
    const ctx = { runId: 'r', namespace: 'pullstorm-r' };
    const secret = pullSecretManifest(
      'hub-Build_Bot',
      'localhost:30500',
      { username: 'Build_Bot', password: 'pw' },
      ctx,
    );
    const pod = podManifest({ name: 'p', image: 'x', imagePullSecrets: ['hub-Build_Bot'] }, ctx);
    expect(pod.spec?.imagePullSecrets).toEqual([{ name: secret.metadata?.name }]);
    expect(secret.metadata?.name).toMatch(/^hub-build-bot-[0-9a-f]{8}$/);
  });
});
