import { describe, expect, it } from 'vitest';
import { type Problem, ScenarioError, validate } from '../../harness/scenario/index.ts';
import { UsageError } from '../../vocab/errors.ts';
import { testContext } from './context.ts';

const base = {
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'objects',
  workload: [{ kind: 'pod', name: 'app', image: 'registry/pullstorm/tiny:1.0' }],
};

function problems(input: unknown, durationNumbers = true): Problem[] {
  const result = validate(input, testContext, { durationNumbers });
  return result.ok ? [] : result.problems;
}

describe('validate', () => {
  it('accepts a valid scenario and returns it typed, unchanged', () => {
    const input = structuredClone(base);
    const result = validate(input, testContext);
    expect(result).toEqual({ ok: true, scenario: base });
    expect(input).toEqual(base);
  });

  it('names the known faults when a fault name is unknown', () => {
    expect(problems({ ...base, faults: [{ fault: 'rate-limits' }] })).toEqual([
      {
        path: 'faults[0].fault',
        message:
          "expected one of auth-no-credentials, rate-limit, registry-down, tag-overwrite, tls-unknown-ca, disk-full, latency, got 'rate-limits' (did you mean 'rate-limit'?)",
      },
    ]);
  });

  it("passes each fault's options to the catalogue's check, at their path", () => {
    const faults = [{ fault: 'registry-down' }, { fault: 'latency', options: { delay: '1s' } }];
    expect(
      problems({ ...base, faults: [...faults, { fault: 'rate-limit', options: { limit: -1 } }] }),
    ).toEqual([{ path: 'faults[2].options.limit', message: 'expected a positive integer, got -1' }]);
  });

  it('reports every problem of an object at once, with exact paths and messages', () => {
    const input = {
      apiVersion: 'pullstorm.dev/v1alpha1',
      kind: 'Scenario',
      name: 'many',
      extra: true,
      backend: { nodes: [{ name: 'n', kind: 'virtual', diskBytes: 1024 }] },
      workload: [
        { kind: 'pod', name: 'a', image: 'nowhere/p/a:1', replicas: 1.5 },
        { kind: 'pod', name: 'b', image: 'registry/p/b:1', nodeSelector: ['gpu'], at: '10m' },
      ],
      faults: [{ fault: 'registry-down', at: '1m', clearAt: '30s' }],
      expectations: [{ type: 'classifiedAs', fault: 'registry-down-1', cause: 'rate-limited' }],
    };
    expect(problems(input)).toEqual([
      { path: 'extra', message: expect.stringMatching(/^unknown field; expected one of apiVersion, kind, /) },
      {
        path: 'backend.nodes[0].diskBytes',
        message: 'expected no diskBytes on a virtual node (it has no containerd root), got 1024',
      },
      {
        path: 'workload[0].image',
        message:
          "expected a reference whose first component names a registry (registry), got 'nowhere/p/a:1'",
      },
      { path: 'workload[0].replicas', message: 'expected an integer of 0 or more, got 1.5' },
      { path: 'workload[1].at', message: "expected a time before the timeout (5m), got '10m'" },
      {
        path: 'workload[1].nodeSelector[0]',
        message: "expected a node or node group name (groups: n), got 'gpu'",
      },
      { path: 'faults[0].clearAt', message: "expected a time after at (1m), got '30s'" },
      {
        path: 'expectations[0].fault',
        message:
          "expected a fault id (registry-down-0), got 'registry-down-1' (did you mean 'registry-down-0'?)",
      },
    ]);
  });

  it('takes numbers as milliseconds from TypeScript, but not from YAML (except 0)', () => {
    const input = { ...base, timeout: 300, faults: [{ fault: 'registry-down', at: 0, for: 100 }] };
    expect(problems(input)).toEqual([]);
    expect(problems(input, false)).toEqual([
      {
        path: 'timeout',
        message:
          'expected a duration string such as 500ms, 30s, 2m or 1h30m, got 300 (a bare number would mean ms)',
      },
      {
        path: 'faults[0].for',
        message:
          'expected a duration string such as 500ms, 30s, 2m or 1h30m, got 100 (a bare number would mean ms)',
      },
    ]);
  });

  it('never echoes a password, even a malformed one', () => {
    const auth = (password: unknown) => ({
      ...base,
      registries: [{ name: 'registry', auth: { mode: 'basic', users: [{ username: 'u', password }] } }],
    });
    expect(problems(auth(31337))).toEqual([
      { path: 'registries[0].auth.users[0].password', message: 'expected a string, got a number' },
    ]);
    expect(JSON.stringify(problems(auth(['hunter2'])))).not.toContain('hunter2');
  });

  it('checks pull secrets against the users of the image registry', () => {
    const registries = [
      { name: 'registry', auth: { mode: 'token', users: [{ username: 'ci', password: 'x' }] } },
      { name: 'open' },
    ];
    const workload = [
      { kind: 'pod', name: 'a', image: 'registry/p/a:1', pullSecret: 'ci' },
      { kind: 'pod', name: 'b', image: 'registry/p/a:1', pullSecret: 'bot' },
      { kind: 'pod', name: 'c', image: 'open/p/a:1', pullSecret: 'ci' },
    ];
    expect(problems({ ...base, registries, workload })).toEqual([
      { path: 'workload[1].pullSecret', message: "expected a user of registry 'registry' (ci), got 'bot'" },
      {
        path: 'workload[2].pullSecret',
        message: "expected no pullSecret (registry 'open' has no auth), got 'ci'",
      },
    ]);
  });

  it("limits disks only where pullstorm owns the node's containerd root", () => {
    const nodes = [{ name: 'n', diskBytes: '1Gi' }];
    expect(problems({ ...base, backend: { type: 'containerd', nodes } })).toEqual([]);
    expect(problems({ ...base, backend: { type: 'kubeconfig', nodes } })).toEqual([
      {
        path: 'backend.nodes[0].diskBytes',
        message: "expected no diskBytes with the kubeconfig backend (the nodes are not ours), got '1Gi'",
      },
    ]);
  });

  it.each([
    [
      { imageGCLowThresholdPercent: 90 },
      'imageGCLowThresholdPercent',
      'less than imageGCHighThresholdPercent (85, the default), got 90',
    ],
    [
      { imageGCHighThresholdPercent: 50 },
      'imageGCHighThresholdPercent',
      'more than imageGCLowThresholdPercent (80, the default), got 50',
    ],
    [
      { imageGCHighThresholdPercent: 60, imageGCLowThresholdPercent: 60 },
      'imageGCLowThresholdPercent',
      'less than imageGCHighThresholdPercent (60), got 60',
    ],
  ])(
    'checks image GC thresholds as kubelet does, blaming the field written: %j',
    (kubelet, field, message) => {
      expect(problems({ ...base, backend: { kubelet } })).toEqual([
        { path: `backend.kubelet.${field}`, message: `expected ${message}` },
      ]);
    },
  );

  it('takes backend.seed as a 32-bit unsigned integer and says what it got otherwise', () => {
    expect(problems({ ...base, backend: { seed: 4294967295 } })).toEqual([]);
    for (const seed of [-1, 1.5, 2 ** 32, 'seven']) {
      const found = problems({ ...base, backend: { seed } });
      expect(found).toHaveLength(1);
      expect(found[0]?.path).toBe('backend.seed');
      expect(found[0]?.message).toMatch(/^expected .*integer.*, got /);
    }
  });

  it('asks for faults when a fault expectation has none to apply to', () => {
    expect(problems({ ...base, expectations: [{ type: 'detectedWithin', within: '10s' }] })).toEqual([
      { path: 'expectations[0]', message: 'expected faults for this expectation to apply to, got none' },
    ]);
  });

  it('does not report a reference into a part that is itself broken', () => {
    // registries[0] has no name, so which registries exist is unknown: the image is not blamed.
    const input = { ...base, registries: [{ tls: true }] };
    expect(problems(input)).toEqual([
      {
        path: 'registries[0].name',
        message:
          'required field missing; expected a DNS label (1-63 of a-z, 0-9 and -, starting and ending alphanumeric)',
      },
    ]);
  });

  it.each([
    [null, 'null'],
    ['scenario.yaml', "'scenario.yaml'"],
    [[], 'a list'],
  ])('rejects %j as a whole', (input, shown) => {
    expect(problems(input)).toEqual([
      {
        path: '',
        message: expect.stringMatching(new RegExp(`^expected a mapping with apiVersion, .*, got ${shown}$`)),
      },
    ]);
  });
});

describe('ScenarioError', () => {
  const error = new ScenarioError(
    [
      { path: 'name', message: "expected a DNS label, got 'X'", line: 3, column: 7 },
      { path: '', message: 'cannot read the file' },
    ],
    'demo.yaml',
  );

  it('has a stable code and exits 2 like every usage error', () => {
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.name).toBe('ScenarioError');
  });

  it('renders one problem per line, file:line:column first', () => {
    expect(error.message).toBe(
      [
        'scenario demo.yaml has 2 problems:',
        "demo.yaml:3:7: name: expected a DNS label, got 'X'",
        'demo.yaml: cannot read the file',
      ].join('\n'),
    );
  });
});
