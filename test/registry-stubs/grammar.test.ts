import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { classifyPath } from '../../registry-stubs/classify.ts';
import {
  isDigest,
  maxNameLength,
  nameProblem,
  parseDigest,
  parseReference,
  tagProblem,
} from '../../registry-stubs/grammar.ts';

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const alnumRun = fc.array(alnum, { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
const separator = fc.oneof(
  fc.constant('.'),
  fc.constant('_'),
  fc.constant('__'),
  fc.integer({ min: 1, max: 3 }).map((n) => '-'.repeat(n)),
);
const component = fc
  .tuple(alnumRun, fc.array(fc.tuple(separator, alnumRun), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([s, r]) => s + r).join(''));
/** Names generated from the spec grammar, kept within the length limit. */
const validName = fc
  .array(component, { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('/'))
  .filter((n) => n.length <= maxNameLength);
const hex = (length: number) =>
  fc
    .array(fc.constantFrom(...'0123456789abcdef'.split('')), { minLength: length, maxLength: length })
    .map((a) => a.join(''));
const validDigest = fc.oneof(
  hex(64).map((h) => `sha256:${h}`),
  hex(128).map((h) => `sha512:${h}`),
);
const tagChar = fc.constantFrom(...'abcXYZ019_.-'.split(''));
const validTag = fc
  .tuple(fc.constantFrom(...'aZ09_'.split('')), fc.array(tagChar, { maxLength: 127 }))
  .map(([first, rest]) => first + rest.join(''));

describe('repository names', () => {
  test('every name generated from the grammar is accepted', () => {
    fc.assert(fc.property(validName, (name) => nameProblem(name) === undefined));
  });

  test('inserting a character outside the grammar makes a name invalid', () => {
    const bad = fc.constantFrom('A', ' ', ':', '@', '%', '\\', '!', 'É', '\n');
    fc.assert(
      fc.property(validName, bad, fc.nat(), (name, ch, at) => {
        const i = at % (name.length + 1);
        return nameProblem(name.slice(0, i) + ch + name.slice(i)) !== undefined;
      }),
    );
  });

  test('separators at an edge or doubled slashes make a name invalid', () => {
    const edge = fc.constantFrom('.', '_', '-', '/', '___');
    fc.assert(
      fc.property(validName, edge, fc.boolean(), (name, sep, atStart) => {
        return nameProblem(atStart ? sep + name : name + sep) !== undefined;
      }),
    );
    fc.assert(fc.property(validName, validName, (a, b) => nameProblem(`${a}//${b}`) !== undefined));
  });

  test.each([
    ['library/alpine', true],
    ['a', true],
    ['a.b_c__d---e/f0', true],
    ['team/app/manifests/blobs', true],
    ['Library/alpine', false],
    ['a___b', false],
    ['a/../b', false],
    ['', false],
    ['a'.repeat(maxNameLength), true],
    ['a'.repeat(maxNameLength + 1), false],
  ])('%s valid: %s', (name, valid) => {
    expect(nameProblem(name) === undefined).toBe(valid);
  });

  test('a problem says what was expected and what was given', () => {
    expect(nameProblem('Bad')).toMatch(/'Bad'.*lowercase/);
    expect(nameProblem('a'.repeat(300))).toMatch(/300 characters; at most 255/);
  });
});

describe('tags', () => {
  test('generated tags are accepted, and parse as tags', () => {
    fc.assert(
      fc.property(validTag, (tag) => tagProblem(tag) === undefined && parseReference(tag) !== undefined),
    );
  });

  test('a leading dot or dash, a 129th character or a foreign character is rejected', () => {
    fc.assert(
      fc.property(validTag, fc.constantFrom('.', '-'), (tag, lead) => tagProblem(lead + tag) !== undefined),
    );
    fc.assert(fc.property(validTag, (tag) => tagProblem(tag.padEnd(129, 'x')) !== undefined));
    fc.assert(
      fc.property(
        validTag,
        fc.constantFrom('/', '+', ' ', '@'),
        (tag, ch) => tagProblem(tag + ch) !== undefined,
      ),
    );
  });
});

describe('digests', () => {
  test('sha256 and sha512 digests of the right length are accepted', () => {
    fc.assert(fc.property(validDigest, (digest) => isDigest(digest)));
    fc.assert(
      fc.property(validDigest, (digest) => {
        const parsed = parseReference(digest);
        return typeof parsed !== 'string' && parsed.kind === 'digest' && parsed.digest === digest;
      }),
    );
  });

  test('dropping or adding a hex character, or upper-casing one, is rejected', () => {
    fc.assert(fc.property(validDigest, (d) => !isDigest(d.slice(0, -1)) && !isDigest(`${d}0`)));
    fc.assert(
      fc.property(
        validDigest,
        (d) => !isDigest(d.replace(/[a-f]/, (c) => c.toUpperCase())) || !/[a-f]/.test(d),
      ),
    );
  });

  test.each([
    ['md5:abc', /not supported/],
    ['sha256:xyz', /64 lowercase hex/],
    ['sha256', /algorithm:encoded/],
    [':abc', /algorithm:encoded/],
  ])('%s is rejected with a reason', (digest, reason) => {
    expect(parseDigest(digest)).toMatch(reason);
  });
});

describe('path classification', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  test.each([
    ['/v2/', { route: 'base' }],
    ['/v2', { route: 'base' }],
    ['/v2/_catalog', { route: 'catalog' }],
    ['/token', { route: 'token' }],
    ['/v2/a/b/c/manifests/latest', { route: 'manifest', repository: 'a/b/c', reference: 'latest' }],
    ['/v2/x/manifests/y/manifests/z', { route: 'manifest', repository: 'x/manifests/y', reference: 'z' }],
    [`/v2/a/blobs/${digest}`, { route: 'blob', repository: 'a', reference: digest }],
    [
      `/v2/a/blobs/uploads/blobs/${digest}`,
      { route: 'blob', repository: 'a/blobs/uploads', reference: digest },
    ],
    ['/v2/a/blobs/uploads/', { route: 'upload', repository: 'a' }],
    ['/v2/a/blobs/uploads', { route: 'upload', repository: 'a' }],
    ['/v2/a/b/blobs/uploads/123-abc', { route: 'upload', repository: 'a/b', reference: '123-abc' }],
    ['/v2/a/tags/list', { route: 'tags', repository: 'a' }],
    [`/v2/a/referrers/${digest}`, { route: 'referrers', repository: 'a', reference: digest }],
    ['/v2/a/unknown', { route: 'unknown' }],
    ['/', { route: 'unknown' }],
  ])('%s', (path, target) => {
    expect(classifyPath(path)).toEqual(target);
  });

  test('any valid multi-component name routes to itself', () => {
    fc.assert(
      fc.property(validName, validTag, validDigest, (name, tag, digest) => {
        const m = classifyPath(`/v2/${name}/manifests/${tag}`);
        const b = classifyPath(`/v2/${name}/blobs/${digest}`);
        return (
          m.repository === name && m.reference === tag && b.repository === name && b.reference === digest
        );
      }),
    );
  });
});
