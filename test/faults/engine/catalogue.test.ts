/** The catalogue: complete rows, real cause ids, option checks that plug into the scenario validator. */
import { describe, expect, it } from 'vitest';
import { CAUSE_IDS } from '../../../harness/classify/index.ts';
import { loadScenarioText } from '../../../harness/scenario/index.ts';
import { CATALOGUE, catalogueEntry, scenarioContext } from '../../../registry-stubs/faults/index.ts';

const design = [
  'auth-no-credentials',
  'auth-bad-credentials',
  'auth-token-endpoint',
  'auth-token-expiry',
  'auth-insufficient-scope',
  'rate-limit',
  'tls-unknown-ca',
  'tls-expired',
  'tls-wrong-host',
  'tls-plain-http',
  'tls-stall',
  'refused',
  'dns',
  'blackhole',
  'reset',
  'latency',
  'bandwidth',
  'unknown-tag',
  'missing-blob',
  'corrupt-blob',
  'truncated-blob',
  'tag-overwrite',
  'wrong-platform',
  'wrong-arch',
  'disk-full',
  'registry-down',
  'server-error',
];

describe('fault catalogue', () => {
  it('records what containers/image clients see for every HTTP and TLS fault', () => {
    const http = CATALOGUE.filter((e) => e.factory.kind === 'http' || e.name.startsWith('tls-'));
    expect(http.length).toBeGreaterThan(20);
    for (const entry of http) expect(entry.clientSeesContainersImage, entry.name).toMatch(/\S/);
  });

  it('has a row for every fault of the design, each complete', () => {
    const names = CATALOGUE.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(design));
    expect(new Set(names).size).toBe(names.length);
    for (const entry of CATALOGUE) {
      expect(entry.summary, entry.name).not.toBe('');
      expect(entry.clientSees, entry.name).not.toBe('');
      expect(entry.usualCause, entry.name).not.toBe('');
      expect(entry.remediation, entry.name).not.toBe('');
      for (const cause of entry.expectedCauses) expect(CAUSE_IDS, entry.name).toContain(cause);
      for (const [name, option] of Object.entries(entry.options)) {
        expect(option.doc, `${entry.name}.${name}`).not.toBe('');
        // A documented default passes its own check.
        if (option.default !== undefined)
          expect(option.check(option.default), `${entry.name}.${name}`).toBeUndefined();
      }
    }
  });

  it('marks the node faults for the runner', () => {
    expect(CATALOGUE.filter((e) => e.nodeOnly).map((e) => [e.name, e.where])).toEqual([
      ['dns', 'node'],
      ['disk-full', 'node'],
    ]);
    expect(Object.keys(catalogueEntry('disk-full')!.options)).toEqual(['fillPercent', 'freeBytes']);
  });

  it("agrees with each HTTP fault's own scope keys", () => {
    for (const entry of CATALOGUE) {
      if (entry.factory.kind !== 'http') continue;
      const fault = entry.factory.create({});
      expect(entry.scopeKeys, entry.name).toEqual(fault.scopeKeys ?? entry.scopeKeys);
    }
  });

  it('validates options at their paths, for scenarios too (connection faults through their factories)', () => {
    const latency = catalogueEntry('latency')!;
    expect(latency.validate({ chunkMs: 0 }, 'faults[1].options')).toEqual([
      { path: 'faults[1].options', message: 'connectionMs or chunkMs must be above 0, got 0 and 0' },
    ]);
    expect(catalogueEntry('disk-full')!.validate({ fillPercent: 90, freeBytes: 0 }, 'o')).toEqual([
      { path: 'o.freeBytes', message: 'expected fillPercent or freeBytes, got both' },
    ]);
    const yaml = `
apiVersion: pullstorm.dev/v1alpha1
kind: Scenario
name: quota
registries: [{ name: hub }]
workload: [{ kind: pod, name: p, image: hub/pullstorm/tiny:1.0 }]
faults:
  - fault: rate-limit
    options: { limit: 3, windowSeconds: 60, key: ip }
    scope: { route: manifest }
  - fault: corrupt-blob
expectations: [{ type: classifiedAs, fault: rate-limit-0, cause: rate-limited }]
`;
    expect(() => loadScenarioText(yaml, 'yaml', scenarioContext())).toThrow(
      /faults\[0\]\.options\.key: expected one of 'client', 'credential', 'both', got 'ip'/,
    );
    const ok = loadScenarioText(yaml.replace('key: ip', 'key: both'), 'yaml', scenarioContext());
    expect(ok.faults.map((f) => f.fault)).toEqual(['rate-limit', 'corrupt-blob']);
  });
});
