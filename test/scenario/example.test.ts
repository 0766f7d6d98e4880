import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../harness/scenario/index.ts';
import { scenarioContext } from '../../registry-stubs/faults/catalogue.ts';

// The README shows this file; if it stops loading against the real fault catalogue, the README is lying.
const example = fileURLToPath(new URL('../../scenarios/examples/rate-limit.yaml', import.meta.url));

describe('scenarios/examples/rate-limit.yaml', () => {
  it('loads, validates and resolves to a 20-pod rollout against a 429 quota', async () => {
    const scenario = await loadScenarioFile(example, scenarioContext());
    expect(scenario.backend.nodes.map((n) => n.name)).toEqual([
      'worker-0',
      'worker-1',
      'worker-2',
      'worker-3',
    ]);
    expect(scenario.workload).toEqual([
      {
        kind: 'deployment',
        name: 'web',
        image: 'hub/pullstorm/tiny:1.0',
        ref: { registry: 'hub', repository: 'pullstorm/tiny', tag: '1.0' },
        imagePullPolicy: 'Always',
        replicas: 2,
        atMs: 15_000,
        ramp: { to: 20, overMs: 30_000 },
        nodes: [],
      },
    ]);
    expect(scenario.faults).toEqual([
      {
        id: 'quota',
        fault: 'rate-limit',
        options: { style: 'generic', limit: 3, windowSeconds: 21600 },
        scope: { registry: 'hub', route: 'manifest', probability: 1 },
        atMs: 0,
        clearAtMs: 120_000,
      },
    ]);
    expect(scenario.expectations.map((e) => e.type)).toEqual([
      'detectedWithin',
      'classifiedAs',
      'recoveredWithin',
      'allPodsRunning',
    ]);
    expect(scenario.timeoutMs).toBe(600_000);
  });
});
