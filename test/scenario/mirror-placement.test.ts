/**
 * A mirror's placement: `nodes` scopes its hosts.toml entry to some nodes (groups expanded, so a
 * run can compare pulls through it with direct ones), `diskBytes` puts a distribution mirror's
 * cache on a size-limited tmpfs; and the `fallbackTime` expectation that goes with a mirror
 * taken down for some nodes.
 */
import { describe, expect, it } from 'vitest';
import { type Problem, resolveScenario, validate } from '../../harness/scenario/index.ts';
import { testContext } from './context.ts';

const base = {
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'placement',
  backend: {
    nodes: [
      { name: 'via', count: 2 },
      { name: 'direct', count: 1 },
    ],
  },
  workload: [{ kind: 'pod', name: 'app', image: 'registry/pullstorm/tiny:1.0' }],
};

const withMirror = (mirror: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  ...base,
  registries: [{ name: 'registry', mirrors: [{ name: 'cache', ...mirror }] }],
  ...rest,
});

function problems(input: unknown): Problem[] {
  const result = validate(input, testContext);
  return result.ok ? [] : result.problems;
}

describe('mirrors[].nodes and mirrors[].diskBytes', () => {
  it('resolves node groups to node names and the disk size to bytes', () => {
    const s = resolveScenario(withMirror({ nodes: ['via'], diskBytes: '2Mi' }), testContext);
    expect(s.registries[0]!.mirrors[0]).toEqual({
      name: 'cache',
      type: 'distribution',
      nodes: ['via-0', 'via-1'],
      diskBytes: 2 * 1024 * 1024,
    });
  });

  it('leaves both out when not given: every node, unlimited disk', () => {
    const s = resolveScenario(withMirror({}), testContext);
    expect(s.registries[0]!.mirrors[0]).toEqual({ name: 'cache', type: 'distribution' });
  });

  it('names the declared groups for an unknown node', () => {
    expect(problems(withMirror({ nodes: ['directs'] }))).toEqual([
      {
        path: 'registries[0].mirrors[0].nodes[0]',
        message:
          "expected a node or node group name (groups: via, direct), got 'directs' (did you mean 'direct'?)",
      },
    ]);
  });

  it('refuses diskBytes on a mirror the harness does not store for, and below 1Mi', () => {
    expect(problems(withMirror({ type: 'nginx', diskBytes: '2Mi' }))).toEqual([
      {
        path: 'registries[0].mirrors[0].diskBytes',
        message:
          "expected diskBytes only on a distribution mirror (its storage is a directory the harness mounts), got 'type nginx'",
      },
    ]);
    expect(problems(withMirror({ diskBytes: '512Ki' }))).toEqual([
      { path: 'registries[0].mirrors[0].diskBytes', message: "expected at least 1Mi, got '512Ki'" },
    ]);
  });
});

describe('the fallbackTime expectation', () => {
  const faults = [{ id: 'down', fault: 'registry-down', scope: { registry: 'cache', nodes: ['via'] } }];

  it('resolves its bounds to ms', () => {
    const s = resolveScenario(
      withMirror(
        {},
        { faults, expectations: [{ type: 'fallbackTime', fault: 'down', under: '3s', atLeast: '1s' }] },
      ),
      testContext,
    );
    expect(s.expectations).toEqual([
      { type: 'fallbackTime', fault: 'down', underMs: 3_000, atLeastMs: 1_000 },
    ]);
  });

  it('needs a fault id and a bound', () => {
    expect(problems(withMirror({}, { faults, expectations: [{ type: 'fallbackTime' }] }))).toEqual([
      {
        path: 'expectations[0].fault',
        message: 'required field missing; expected the id of a fault on a mirror',
      },
      {
        path: 'expectations[0].under',
        message: 'required field missing; expected a positive duration such as 500ms, 30s, 2m or 1h30m',
      },
    ]);
  });

  it('refuses atLeast at or above under: no pull could meet both', () => {
    const expect_ = (atLeast: string) =>
      problems(
        withMirror(
          {},
          { faults, expectations: [{ type: 'fallbackTime', fault: 'down', under: '3s', atLeast }] },
        ),
      );
    expect(expect_('3s')).toEqual([
      { path: 'expectations[0].atLeast', message: "expected a duration below under (3s), got '3s'" },
    ]);
    expect(expect_('5s')).toEqual([
      { path: 'expectations[0].atLeast', message: "expected a duration below under (3s), got '5s'" },
    ]);
    expect(expect_('2s')).toEqual([]);
  });

  it('refuses a fault that does not take a mirror down, naming the faults that do', () => {
    const onOrigin = { id: 'origin-down', fault: 'registry-down', scope: { registry: 'registry' } };
    const unscoped = { id: 'anywhere', fault: 'registry-down' };
    const scenario = (fault: string) =>
      withMirror(
        {},
        {
          faults: [...faults, onOrigin, unscoped],
          expectations: [{ type: 'fallbackTime', fault, under: '3s' }],
        },
      );
    expect(problems(scenario('origin-down'))).toEqual([
      {
        path: 'expectations[0].fault',
        message:
          "expected the id of a fault whose scope.registry names a mirror (down), got 'origin-down' (its scope.registry 'registry' is a registry, not a mirror)",
      },
    ]);
    expect(problems(scenario('anywhere'))).toEqual([
      {
        path: 'expectations[0].fault',
        message:
          "expected the id of a fault whose scope.registry names a mirror (down), got 'anywhere' (it has no scope.registry, so it is not on a mirror)",
      },
    ]);
    expect(problems(scenario('down'))).toEqual([]);
  });
});
