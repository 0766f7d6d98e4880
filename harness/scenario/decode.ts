/**
 * Strict decoding of scenario text. YAML 1.2 core schema (so `yes`, `on` and `0777` are what
 * they look like in JSON, not booleans or octal), JSON with the JSON schema; duplicate keys,
 * non-string keys, unknown tags and multiple documents are problems, each with its line and column.
 * Unknown fields and wrong types are validation's job; decoding keeps the document so validation
 * problems can be given a line and column too (`locate`). Runs unchanged on Deno.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type YAMLError,
} from 'yaml';
import { at, type Problem, shown, splitPath } from '../../vocab/problem.ts';

/** A 1-based line and column in the source text. */
export interface Position {
  line: number;
  column: number;
}

/** Decoded text: the plain value, and where each path is in the source. */
export type DecodeResult =
  | { ok: true; value: unknown; locate(path: string): Position | undefined }
  | { ok: false; problems: Problem[] };

/** Decodes `text` as YAML 1.2 or JSON, reporting every syntax problem at once. */
export function decodeScenario(text: string, format: 'yaml' | 'json' = 'yaml'): DecodeResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.2',
    schema: format === 'json' ? 'json' : 'core',
    uniqueKeys: true,
    prettyErrors: false,
    lineCounter: lines,
  });
  const position = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = [];
  const keyed = new Map<number, { pair: Pair; path: string; first?: Pair }>();
  walk(doc.contents, '', (pair, path, siblings) => {
    const start = (pair.key as Node | null)?.range?.[0];
    const first = siblings.find((p) => p !== pair && sameKey(p, pair));
    if (start !== undefined) keyed.set(start, { pair, path, ...(first && first !== pair ? { first } : {}) });
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key !== 'string') {
      const value = isScalar(key) ? key.value : isMap(key) ? {} : isSeq(key) ? [] : key;
      problems.push({ path, message: `expected a string key, got ${shown(value)}`, ...position(start ?? 0) });
    }
  });
  for (const error of [...doc.errors, ...doc.warnings])
    problems.push(syntaxProblem(error, format, keyed, position));
  if (problems.length > 0) {
    return { ok: false, problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Alias bombs ("billion laughs") end here, before they can allocate.
    return {
      ok: false,
      problems: [{ path: '', message: `invalid ${format.toUpperCase()}: ${(error as Error).message}` }],
    };
  }
  return {
    ok: true,
    value,
    locate(path) {
      let node: unknown = doc.contents;
      let offset = (node as Node | null)?.range?.[0] ?? 0;
      for (const key of splitPath(path)) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
          if (!pair) break;
          offset = (pair.key as Node).range?.[0] ?? offset;
          node = pair.value;
        } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
          node = node.items[key];
          offset = (node as Node).range?.[0] ?? offset;
        } else break;
      }
      return position(offset);
    },
  };
}

/** Calls `visit` for every mapping entry, with the entry's path and its siblings. */
function walk(
  node: unknown,
  path: string,
  visit: (pair: Pair, path: string, siblings: Pair[]) => void,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const child = at(path, isScalar(pair.key) ? String(pair.key.value) : '?');
      visit(pair, child, node.items);
      walk(pair.value, child, visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      walk(item, at(path, i), visit);
    });
  }
}

function sameKey(a: Pair, b: Pair): boolean {
  return isScalar(a.key) && isScalar(b.key) && a.key.value === b.key.value;
}

function syntaxProblem(
  error: YAMLError,
  format: 'yaml' | 'json',
  keyed: Map<number, { pair: Pair; path: string; first?: Pair }>,
  position: (offset: number) => Position,
): Problem {
  const where = position(error.pos[0]);
  if (error.code === 'DUPLICATE_KEY') {
    const entry = keyed.get(error.pos[0]);
    const first = entry?.first && (entry.first.key as Node).range?.[0];
    const earlier = first === undefined ? '' : ` (first at line ${position(first).line})`;
    return { path: entry?.path ?? '', message: `duplicate key${earlier}`, ...where };
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return {
      path: '',
      message: 'expected one YAML document, got more (a --- line starts another)',
      ...where,
    };
  }
  if (error.code === 'TAG_RESOLVE_FAILED' && format === 'yaml') {
    return { path: '', message: `${error.message}; only plain YAML 1.2 values are allowed`, ...where };
  }
  return { path: '', message: `invalid ${format.toUpperCase()}: ${error.message}`, ...where };
}
