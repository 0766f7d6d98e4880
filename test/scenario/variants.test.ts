/** `variants:` (named overrides, each a scenario of its own) and the `prepull` workload kind. */
import { describe, expect, it } from 'vitest';
import { scenarioContext } from '../../harness/backends/stub-engine.ts';
import { builtinFile } from '../../harness/run/builtin.ts';
import { loadScenarios } from '../../harness/run/suite.ts';
import { applyDefaults } from '../../harness/scenario/index.ts';
import { loadScenarioVariants } from '../../harness/scenario/load-variants.ts';
import { expandVariants } from '../../harness/scenario/variants.ts';
import { renderComparisonHtml } from '../../reports/comparison.ts';

const base = {
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'rollout',
  workload: [{ kind: 'deployment', name: 'app', image: 'registry/pullstorm/tiny:1.0' }],
} as const;

describe('variants', () => {
  it('a file without variants is itself', () => {
    expect(expandVariants(base)).toBeUndefined();
  });

  it('each variant replaces the fields it names and is named <scenario>-<variant>', () => {
    const docs = expandVariants({
      ...base,
      variants: [
        { name: 'none' },
        { name: 'mirror', registries: [{ name: 'registry', mirrors: [{ name: 'c' }] }] },
      ],
    });
    expect(docs).toEqual([
      {
        of: 'rollout',
        variant: 'none',
        doc: { ...base, name: 'rollout-none', description: 'rollout (variant none)' },
      },
      {
        of: 'rollout',
        variant: 'mirror',
        doc: {
          ...base,
          name: 'rollout-mirror',
          description: 'rollout (variant mirror)',
          registries: [{ name: 'registry', mirrors: [{ name: 'c' }] }],
        },
      },
    ]);
  });

  it('reports a single variant, unknown fields and duplicate names at their paths', () => {
    expect(expandVariants({ ...base, variants: [{ name: 'a' }] })).toEqual([
      { path: 'variants', message: 'expected a list of at least two variants to compare' },
    ]);
    expect(expandVariants({ ...base, variants: [{ name: 'a', nodes: 3 }, { name: 'a' }] })).toEqual([
      {
        path: 'variants[0].nodes',
        message:
          'unknown field; expected one of name, description, backend, registries, images, workload, faults, expectations, timeout',
      },
      { path: 'variants[1].name', message: "expected a name no other variant has, got 'a'" },
    ]);
  });

  it('remedies-storm loads as four scenarios: none, a distribution mirror, an nginx mirror, a pre-pull', async () => {
    const loaded = await loadScenarioVariants(builtinFile('remedies-storm'), scenarioContext());
    expect(loaded.map((l) => [l.scenario.name, l.variant?.name])).toEqual([
      ['remedies-storm-none', 'none'],
      ['remedies-storm-mirror', 'mirror'],
      ['remedies-storm-nginx', 'nginx'],
      ['remedies-storm-prepull', 'prepull'],
    ]);
    expect(loaded.map((l) => l.scenario.registries[0]!.mirrors.map((m) => m.type))).toEqual([
      [],
      ['distribution'],
      ['nginx'],
      [],
    ]);
  });
});

describe('prepull', () => {
  it('becomes one pod per selected node, pinned to it', () => {
    const s = applyDefaults({
      ...base,
      backend: {
        nodes: [
          { name: 'w', count: 2 },
          { name: 'edge', kind: 'virtual' },
        ],
      },
      workload: [
        { kind: 'prepull', name: 'warm', image: 'registry/pullstorm/tiny:1.0', nodeSelector: ['w'] },
      ],
    });
    expect(s.workload.map((w) => [w.kind, w.name, w.replicas, w.nodes])).toEqual([
      ['pod', 'warm-w-0', 1, ['w-0']],
      ['pod', 'warm-w-1', 1, ['w-1']],
    ]);
  });
});

describe('comparison.html', () => {
  it('has the table, a chart per measure, and escapes names', () => {
    const row = {
      scenario: 's-none',
      verdict: 'pass',
      allRunningMs: 2_000,
      pullLatency: { p50: 100, p95: 200, max: 300 },
      originRequests: 10,
      originBlobBytes: 1024,
      originByteRatio: 1,
      amplification: 2,
      tooManyRequests: 0,
      failedAttempts: 0,
    };
    const html = renderComparisonHtml({
      scenario: 's<x>',
      baseline: 'none',
      rows: [
        { ...row, variant: 'none' },
        { ...row, variant: 'mirror', originBlobBytes: 512, originByteRatio: 0.5, allRunningMs: null },
      ],
    });
    expect(html).toContain('s&lt;x&gt;: variants compared');
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('0.50×');
    expect(html).toContain('never');
  });
});

describe('the seed of compared variants', () => {
  it('is one seed for every variant of a file, so they draw the same kubelet jitter', async () => {
    const loaded = await loadScenarios([builtinFile('remedies-storm')]);
    expect(loaded.length).toBeGreaterThan(1);
    const seeds = new Set(loaded.map((l) => l.scenario.backend.seed));
    expect(seeds.size).toBe(1);
    expect([...seeds][0]).toEqual(expect.any(Number));
  });

  it('is the command line seed when one is given', async () => {
    const loaded = await loadScenarios([builtinFile('remedies-storm')], { seed: 42 });
    expect(loaded.map((l) => l.scenario.backend.seed)).toEqual(loaded.map(() => 42));
  });
});
