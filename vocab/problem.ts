/**
 * What is wrong with a scenario: a list of problems, each at a path such as
 * `faults[2].options.limit`, and the one error the CLI catches to exit 2. Paths are plain strings
 * so fault validators owned elsewhere can build them without importing anything but `at()`.
 */
import { UsageError } from './errors.ts';

/** One thing wrong with a scenario; `line`/`column` (1-based) are set when it came from a file. */
export interface Problem {
  /** Where: `name`, `faults[2].options.limit`; `''` for the document itself. */
  path: string;
  /** What was expected and what was given, e.g. `expected a positive integer, got -1`. */
  message: string;
  line?: number;
  column?: number;
}

const identifier = /^[A-Za-z_$][\w$-]*$/;

/** The path of `key` under `path`: `at('faults', 2)` is `faults[2]`, `at('', 'name')` is `name`. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (identifier.test(key)) return path === '' ? key : `${path}.${key}`;
  // Keys that would be ambiguous after a dot (`a.b`, spaces, empty) are written as quoted indices.
  return `${path}[${JSON.stringify(key)}]`;
}

/** Splits a path built by `at()` back into keys and indices (used to find the YAML node). */
export function splitPath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (token.lastIndex < path.length) {
    const m = token.exec(path);
    if (!m) break;
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(Number(m[2]));
    else keys.push(JSON.parse(m[3] as string) as string);
  }
  return keys;
}

/** A value as a message shows it: strings quoted, collections by kind, long text cut. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `'${cut.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** One problem per line, `file:line:column: path: message` (parts that are unknown left out). */
export function renderProblems(problems: readonly Problem[], file?: string): string {
  return problems
    .map((p) => {
      const where = [file, p.line, p.line === undefined ? undefined : p.column].filter(
        (x) => x !== undefined,
      );
      const prefix = where.length > 0 ? `${where.join(':')}: ` : '';
      return `${prefix}${p.path === '' ? '' : `${p.path}: `}${p.message}`;
    })
    .join('\n');
}

/** A scenario that cannot run; the CLI prints `message` and exits 2. Callers catch it by `code`. */
export class ScenarioError extends UsageError {
  override name = 'ScenarioError';
  /** Stable code: `SCENARIO_INVALID`. */
  readonly code = 'SCENARIO_INVALID';
  /** Every problem found. */
  readonly problems: readonly Problem[];
  /** The file the scenario came from, when it came from one. */
  readonly file: string | undefined;

  constructor(problems: readonly Problem[], file?: string, options?: ErrorOptions) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `scenario${file === undefined ? '' : ` ${file}`} has ${count}:\n${renderProblems(problems, file)}`,
      options,
    );
    this.problems = problems;
    this.file = file;
  }
}
