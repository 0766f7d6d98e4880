import { describe, expect, it } from 'vitest';
import { mirrorProblems } from '../../harness/mirrors/preflight.ts';
import {
  applyDefaults,
  type Problem,
  resolveScenario,
  type ScenarioInput,
  validate,
} from '../../harness/scenario/index.ts';
import { fillTemplate, unknownTemplateNames } from '../../harness/scenario/mirror-targets.ts';
import { testContext } from './context.ts';

const withMirror = (mirror: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'mirror-targets',
  registries: [{ name: 'registry', mirrors: [{ name: 'm', ...mirror }] }],
  workload: [{ kind: 'pod', name: 'app', image: 'registry/pullstorm/tiny:1.0' }],
  ...extra,
});

function problems(input: unknown): Problem[] {
  const result = validate(input, testContext, { durationNumbers: false });
  return result.ok ? [] : result.problems;
}

const path = 'registries[0].mirrors[0]';

describe('type: external', () => {
  it('resolves a URL, CA, upstream and credentials from the environment', () => {
    const s = resolveScenario(
      withMirror({
        type: 'external',
        url: 'https://harbor.example.com/v2/proxy/',
        overridePath: true,
        ca: '/etc/ssl/harbor.pem',
        upstream: '127.0.0.1:5091',
        credentials: { username: 'robot$ci', passwordEnv: 'HARBOR_PASSWORD' },
      }),
      testContext,
    );
    expect(s.registries[0]!.mirrors[0]).toEqual({
      name: 'm',
      type: 'external',
      external: {
        url: 'https://harbor.example.com/v2/proxy',
        overridePath: true,
        ca: '/etc/ssl/harbor.pem',
        skipVerify: false,
        upstream: { host: '127.0.0.1', port: 5091 },
        login: { username: 'robot$ci', passwordEnv: 'HARBOR_PASSWORD' },
      },
    });
  });

  it.each([
    ['ftp://mirror:21', 'scheme ftp'],
    ['mirror.example.com', 'not a URL'],
    ['https://u:p@mirror.example.com', 'give credentials in credentials, not in the URL'],
    ['http://mirror/?x=1', 'no query or fragment'],
  ])('refuses url %s, saying what it expected', (url, note) => {
    expect(problems(withMirror({ type: 'external', url }))).toEqual([
      {
        path: `${path}.url`,
        message: `expected an http:// or https:// URL with a host, e.g. https://harbor.example.com/v2/proxy, got '${url}' (${note})`,
      },
    ]);
  });

  it('requires url, and exactly one of password and passwordEnv, never echoing a password', () => {
    expect(
      problems(
        withMirror({
          type: 'external',
          credentials: { username: 'ci', password: 'hunter22', passwordEnv: 'P' },
        }),
      ),
    ).toEqual([
      {
        path: `${path}.url`,
        message: expect.stringContaining('required field missing; expected an http:// or https:// URL'),
      },
      { path: `${path}.credentials`, message: 'expected exactly one of password and passwordEnv, got both' },
    ]);
    expect(
      JSON.stringify(
        problems(
          withMirror({ type: 'external', url: 'http://m', credentials: { username: 'ci', password: 7 } }),
        ),
      ),
    ).not.toContain('7');
  });

  it('refuses ca with skipVerify, a bad upstream, and a username string as credentials', () => {
    const found = problems(
      withMirror({
        type: 'external',
        url: 'https://m',
        ca: '/ca.pem',
        skipVerify: true,
        upstream: 'localhost',
        credentials: 'ci',
      }),
    );
    expect(found.map((p) => p.path)).toEqual([`${path}.upstream`, `${path}.ca`, `${path}.credentials`]);
    expect(found[0]!.message).toBe(
      "expected host:port of an address on this machine, e.g. 127.0.0.1:5091, got 'localhost' (not host:port)",
    );
  });

  it("refuses another type's fields on each type", () => {
    expect(problems(withMirror({ type: 'distribution', url: 'http://m', image: 'registry:2' }))).toEqual([
      { path: `${path}.url`, message: 'url belongs to type external, got type distribution' },
      { path: `${path}.image`, message: 'image belongs to type container, got type distribution' },
    ]);
  });

  it('refuses every fault scoped to an external mirror before anything starts, and allows the origin', () => {
    const s = applyDefaults(
      withMirror(
        { type: 'external', url: 'http://127.0.0.1:5999' },
        {
          faults: [
            { fault: 'refused', scope: { registry: 'm' } },
            { fault: 'rate-limit', options: { limit: 1 }, scope: { registry: 'm' } },
            { fault: 'refused', scope: { registry: 'registry' } },
          ],
        },
      ) as ScenarioInput,
    );
    const found = mirrorProblems(s);
    expect(found.map((p) => p.path)).toEqual(['faults[0].scope.registry', 'faults[1].scope.registry']);
    expect(found[0]!.message).toContain(
      'm is an external mirror: the harness neither runs it nor stands between it and the nodes',
    );
  });
});

describe('type: container', () => {
  it('resolves image, port, env, args and files, templates kept for start time', () => {
    const s = resolveScenario(
      withMirror({
        type: 'container',
        image: 'registry:2',
        port: 5000,
        env: { REGISTRY_PROXY_REMOTEURL: '{{origin}}' },
        args: ['serve', '/etc/docker/registry/config.yml'],
        files: { '/etc/zot/config.json': '{"port": "{{port}}"}' },
      }),
      testContext,
    );
    expect(s.registries[0]!.mirrors[0]).toEqual({
      name: 'm',
      type: 'container',
      container: {
        image: 'registry:2',
        port: 5000,
        env: { REGISTRY_PROXY_REMOTEURL: '{{origin}}' },
        args: ['serve', '/etc/docker/registry/config.yml'],
        files: { '/etc/zot/config.json': '{"port": "{{port}}"}' },
      },
    });
  });

  it('names an unknown template variable, a relative file path and a missing port', () => {
    const found = problems(
      withMirror({
        type: 'container',
        image: 'zot',
        env: { URL: '{{orign}}' },
        files: { 'config.json': '{}' },
      }),
    );
    expect(found).toEqual([
      { path: `${path}.port`, message: 'required field missing; expected an integer from 1 to 65535' },
      {
        path: `${path}.env.URL`,
        message:
          "expected a value (a string; may use {{origin}}, {{port}}, {{name}}), got '{{orign}}' (unknown template variable {{orign}})",
      },
      {
        path: `${path}.files["config.json"]`,
        message: "expected an absolute path in the container, got 'config.json'",
      },
    ]);
  });

  it('fills the template variables, spaces inside the braces allowed', () => {
    expect(
      fillTemplate('{{origin}}/v2 on {{ port }} as {{name}}', {
        origin: 'http://172.17.0.1:4000',
        port: '5000',
        name: 'zot',
      }),
    ).toBe('http://172.17.0.1:4000/v2 on 5000 as zot');
    expect(unknownTemplateNames('{{origin}} {{upstream}}')).toEqual(['upstream']);
  });

  it('refuses HTTP faults on a container mirror and allows connection faults', () => {
    const s = applyDefaults(
      withMirror(
        { type: 'container', image: 'registry:2', port: 5000 },
        {
          faults: [
            { fault: 'refused', scope: { registry: 'm' } },
            { fault: 'server-error', scope: { registry: 'm' } },
          ],
        },
      ) as ScenarioInput,
    );
    expect(mirrorProblems(s).map((p) => p.path)).toEqual(['faults[1].fault']);
  });
});
