import { describe, expect, it } from 'vitest';
import { at, decodeScenario } from '../../harness/scenario/index.ts';
import { splitPath } from '../../vocab/problem.ts';

const problemsOf = (text: string, format: 'yaml' | 'json' = 'yaml') => {
  const result = decodeScenario(text, format);
  return result.ok ? [] : result.problems;
};

describe('decodeScenario', () => {
  it('reads YAML 1.2: yes, on and 0777 are not booleans or octal; dates stay strings', () => {
    expect(decodeScenario('a: yes\nb: on\nc: 0777\nd: 2024-01-01\ne: 0o17\n')).toMatchObject({
      ok: true,
      value: { a: 'yes', b: 'on', c: 777, d: '2024-01-01', e: 15 },
    });
  });

  it('reports duplicate keys at their path, naming the first', () => {
    expect(problemsOf('a:\n  b: 1\n  b: 2\n')).toEqual([
      { path: 'a.b', message: 'duplicate key (first at line 2)', line: 3, column: 3 },
    ]);
  });

  it('reports non-string keys', () => {
    expect(problemsOf('options:\n  200: ok\n')).toEqual([
      { path: 'options["200"]', message: 'expected a string key, got 200', line: 2, column: 3 },
    ]);
  });

  it('reports broken syntax with its line', () => {
    expect(problemsOf('name: x\nworkload:\n  - image: [a\ntimeout: 1m\n')).toEqual([
      {
        path: '',
        message:
          'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
        line: 4,
        column: 1,
      },
    ]);
  });

  it('rejects a second document and unknown tags', () => {
    expect(problemsOf('a: 1\n---\nb: 2\n')).toEqual([
      {
        path: '',
        message: 'expected one YAML document, got more (a --- line starts another)',
        line: 2,
        column: 1,
      },
    ]);
    expect(problemsOf('a: !secret x\n')).toEqual([
      {
        path: '',
        message: 'Unresolved tag: !secret; only plain YAML 1.2 values are allowed',
        line: 1,
        column: 4,
      },
    ]);
  });

  it('decodes JSON strictly, duplicate keys included (JSON.parse would keep the last)', () => {
    expect(problemsOf('{"a": 1, "a": 2}', 'json')).toEqual([
      { path: 'a', message: 'duplicate key (first at line 1)', line: 1, column: 10 },
    ]);
    expect(problemsOf('{"a": yes}', 'json')).toEqual([
      { path: '', message: 'invalid JSON: Unresolved plain scalar "yes"', line: 1, column: 7 },
    ]);
  });

  it('stops alias bombs before they expand', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'];
    bomb.push(
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    );
    expect(problemsOf(bomb.join('\n'))).toEqual([
      { path: '', message: expect.stringMatching(/^invalid YAML: /) },
    ]);
  });

  it('locates a path, or its nearest existing parent', () => {
    const result = decodeScenario('faults:\n  - fault: x\n    options:\n      limit: -1\n');
    if (!result.ok) throw new Error('expected valid YAML');
    expect(result.locate('faults[0].options.limit')).toEqual({ line: 4, column: 7 });
    expect(result.locate('faults[0].scope.nodes')).toEqual({ line: 2, column: 5 });
    expect(result.locate('')).toEqual({ line: 1, column: 1 });
  });
});

describe('paths', () => {
  it.each([
    [['faults', 2, 'options', 'limit'], 'faults[2].options.limit'],
    [['options', 'a.b'], 'options["a.b"]'],
    [['x', ''], 'x[""]'],
    [[0, 'name'], '[0].name'],
  ] as const)('%j is written %s and read back', (keys, path) => {
    expect(keys.reduce<string>((p, k) => at(p, k), '')).toBe(path);
    expect(splitPath(path)).toEqual(keys);
  });
});
