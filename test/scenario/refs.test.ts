import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../harness/scenario/index.ts';
import { platformProblem } from '../../harness/scenario/refs.ts';

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageRef', () => {
  it.each([
    ['registry/pullstorm/tiny:1.0', { registry: 'registry', repository: 'pullstorm/tiny', tag: '1.0' }],
    ['hub/app', { registry: 'hub', repository: 'app' }],
    [`hub/a/b/c@${digest}`, { registry: 'hub', repository: 'a/b/c', digest }],
    [`hub/app:v2@${digest}`, { registry: 'hub', repository: 'app', tag: 'v2', digest }],
    ['hub/my_app.x__y-z:Latest_1', { registry: 'hub', repository: 'my_app.x__y-z', tag: 'Latest_1' }],
  ])('%s', (text, ref) => {
    expect(parseImageRef(text)).toEqual(ref);
  });

  it.each([
    ['tiny:1.0', 'no registry component'],
    ['Hub/app', "registry 'Hub' is not a DNS label"],
    [
      'hub/App',
      "repository 'App' is not lowercase components of [a-z0-9] joined by '.', '_', '__' or '-', split by '/'",
    ],
    ['hub/app:-x', "tag '-x' is not 1-128 of [A-Za-z0-9_.-] starting with [A-Za-z0-9_]"],
    ['hub/app@sha256:abc', "digest 'sha256:abc' is not sha256:<64 hex> or sha512:<128 hex>"],
    [
      'hub/',
      "repository '' is not lowercase components of [a-z0-9] joined by '.', '_', '__' or '-', split by '/'",
    ],
  ])('%s is rejected: %s', (text, reason) => {
    expect(parseImageRef(text)).toBe(reason);
  });
});

describe('platformProblem', () => {
  it.each(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7', 'windows/amd64', 'linux/s390x'])(
    '%s is fine',
    (p) => {
      expect(platformProblem(p)).toBeUndefined();
    },
  );

  it.each([
    ['linux', 'not os/arch[/variant]'],
    ['linux/amd64/v3/x', 'not os/arch[/variant]'],
    ['Linux/AMD64', 'not os/arch[/variant]'],
    ['plan9/amd64', "unknown os 'plan9'; known: linux, windows, darwin, freebsd"],
    ['linux/x86_64', expect.stringMatching(/^unknown architecture 'x86_64'; known: amd64, arm64, /)],
  ])('%s: %s', (p, reason) => {
    expect(platformProblem(p)).toEqual(reason);
  });
});
