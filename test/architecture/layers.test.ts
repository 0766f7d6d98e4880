/**
 * The layering in .dependency-cruiser.mjs holds: dependency-cruiser computes the import graph of the
 * sources (type-only imports included), every import points down the list of layers, and the graph
 * between top-level modules has no cycle. A control run with the layers reversed must find
 * violations, so this test cannot pass because the rules match nothing.
 */
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, test } from 'vitest';
import config, { LAYERS, layerRules } from '../../.dependency-cruiser.mjs';

const SOURCES = ['api', 'harness', 'registry-stubs', 'reports', 'scripts', 'vocab'];

async function cruiseWith(forbidden: IForbiddenRuleType[]): Promise<ICruiseResult> {
  const result = await cruise(SOURCES, { ...config.options, validate: true, ruleSet: { forbidden } });
  return result.output as ICruiseResult;
}

/** The layer a repository path belongs to (`harness/run/`), or the path itself when none. */
function layerOf(path: string): string {
  return LAYERS.find((l) => path.startsWith(l)) ?? path;
}

/** Strongly connected components with more than one member (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('module layering', () => {
  test('every import points down the layers of .dependency-cruiser.mjs and the module graph has no cycle', async () => {
    const result = await cruiseWith(config.forbidden);
    const violations = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);

    const graph = new Map<string, Set<string>>();
    for (const m of result.modules) {
      const from = layerOf(m.source);
      const edges = graph.get(from) ?? new Set<string>();
      graph.set(from, edges);
      for (const d of m.dependencies) {
        if (d.coreModule || d.couldNotResolve || d.resolved.includes('node_modules/')) continue;
        const to = layerOf(d.resolved);
        if (to !== from) edges.add(to);
      }
    }
    expect(result.summary.totalCruised).toBeGreaterThan(300);
    expect(cycles(graph)).toEqual([]);
    // registry-stubs ships on its own (the in-cluster stub image): nothing from harness/.
    expect([...(graph.get('registry-stubs/') ?? [])].filter((m) => m.startsWith('harness'))).toEqual([]);
  }, 120_000);

  test('the same rules with the layers reversed report upward imports (the check can fail)', async () => {
    const result = await cruiseWith(layerRules([...LAYERS].reverse()));
    const names = new Set(result.summary.violations.map((v) => v.rule.name));
    expect(names).toContain('layer:harness/cli/');
    expect(names).toContain('layer:registry-stubs/');
  }, 120_000);
});
