/**
 * Fault options described once: each option's type, default, unit and check. The same table
 * gives the catalogue's documentation, the scenario validator's problems (every one at its path)
 * and the factory's defaults, so they cannot drift apart. Factories throw one TypeError (a value
 * of the wrong type) or RangeError (a value out of range) naming every problem.
 */
import { closest } from '../../vocab/closest.ts';
import { at, type Problem, shown } from '../../vocab/problem.ts';

/** A wrong value: what was expected, and whether the type itself was wrong. */
export interface Wrong {
  expected: string;
  wrongType: boolean;
}

/** Checks one value; undefined when it is fine. */
export type Check = (value: unknown) => Wrong | undefined;

/** One option of a fault. */
export interface OptionSpec {
  /** For docs and CLI coercion: `integer`, `number`, `string`, `boolean`, `string[]`, or a union like `integer|string`. */
  type: string;
  /** One line saying what it does. */
  doc: string;
  /** The default, as shown; undefined when the option is required or the default is computed (the doc says how). */
  default?: unknown;
  /** Unit of a numeric option, so a runner can scale time options by its time scale. */
  unit?: 'seconds' | 'ms' | 'bytes' | 'bytes/s' | 'percent';
  check: Check;
  required?: boolean;
}

/** A fault's options by name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** A check across options (e.g. two that exclude each other); returns problems as [option, message]. */
export type CrossCheck = (options: Record<string, unknown>) => [string, string][];

const wrongType = (expected: string): Wrong => ({ expected, wrongType: true });
const outOfRange = (expected: string): Wrong => ({ expected, wrongType: false });

/** An integer in [min, max] (max default unbounded). */
export function integer(min: number, max?: number): Check {
  const expected = max === undefined ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
  return (v) => {
    if (typeof v !== 'number' || Number.isNaN(v)) return wrongType(expected);
    return Number.isInteger(v) && v >= min && (max === undefined || v <= max)
      ? undefined
      : outOfRange(expected);
  };
}

/** A finite number in [min, max]. */
export function number(min: number, max: number): Check {
  const expected = `a number from ${min} to ${max}`;
  return (v) => {
    if (typeof v !== 'number' || Number.isNaN(v)) return wrongType(expected);
    return v >= min && v <= max ? undefined : outOfRange(expected);
  };
}

/** One of the given strings. */
export function choice(values: readonly string[]): Check {
  const expected = `one of ${values.map((v) => `'${v}'`).join(', ')}`;
  return (v) => {
    if (typeof v !== 'string') return wrongType(expected);
    return values.includes(v) ? undefined : outOfRange(expected);
  };
}

/** A non-empty string that `test` accepts. */
export function text(expected: string, test: (s: string) => boolean = () => true): Check {
  return (v) => {
    if (typeof v !== 'string') return wrongType(expected);
    return v !== '' && test(v) ? undefined : outOfRange(expected);
  };
}

/** A non-empty list whose every item passes `item`. */
export function list(item: Check, expected: string): Check {
  return (v) => {
    if (!Array.isArray(v)) return wrongType(expected);
    return v.length > 0 && v.every((x) => item(x) === undefined) ? undefined : outOfRange(expected);
  };
}

/** Either check passes; the expectation names both. */
export function either(a: Check, b: Check, expected: string): Check {
  return (v) => (a(v) === undefined || b(v) === undefined ? undefined : outOfRange(expected));
}

/** A list of digests (`sha256:<hex>` and the like). */
export const digestList: Check = list(
  text('a digest', (s) => /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(s)),
  'a list of digests such as sha256:<64 hex digits>',
);

/** Exactly `true` (an option that is off when absent). */
export const onlyTrue: Check = (v) => (v === true ? undefined : wrongType('true (leave it out for false)'));

/** Every problem of `options` for fault `fault`, with paths under `path` (e.g. `faults[0].options`). */
export function optionProblems(
  fault: string,
  specs: OptionSpecs,
  options: unknown,
  path: string,
  cross?: CrossCheck,
): Problem[] {
  return collect(fault, specs, options, cross).map(([key, message]) => ({
    path: key === '' ? path : at(path, key),
    message,
  }));
}

/** Checks `options` and fills defaults; throws one TypeError or RangeError naming every problem. */
export function resolveOptions<T extends object>(
  fault: string,
  specs: OptionSpecs,
  options: unknown,
  cross?: CrossCheck,
): T {
  let typeWrong = false;
  const found = collect(fault, specs, options ?? {}, cross, (w) => {
    typeWrong ||= w;
  });
  if (found.length > 0) {
    const message = `${fault}: ${found.map(([key, m]) => (key === '' ? m : `${key}: ${m}`)).join('; ')}`;
    throw typeWrong ? new TypeError(message) : new RangeError(message);
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = (options as Record<string, unknown> | undefined)?.[key] ?? spec.default;
    if (value !== undefined) resolved[key] = value;
  }
  return resolved as T;
}

function collect(
  fault: string,
  specs: OptionSpecs,
  options: unknown,
  cross: CrossCheck | undefined,
  onWrong: (wrongType: boolean) => void = () => {},
): [string, string][] {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    onWrong(true);
    return [['', `expected a mapping of ${fault} options, got ${shown(options)}`]];
  }
  const record = options as Record<string, unknown>;
  const names = Object.keys(specs);
  const problems: [string, string][] = [];
  for (const key of Object.keys(record)) {
    if (key in specs) continue;
    const guess = closest(key, names);
    const known = names.length === 0 ? `${fault} takes no options` : `expected one of ${names.join(', ')}`;
    problems.push([key, `unknown option${guess ? ` (did you mean '${guess}'?)` : ''}; ${known}`]);
    onWrong(false);
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = record[key];
    if (value === undefined) {
      if (spec.required) problems.push([key, 'required option missing']);
      continue;
    }
    const wrong = spec.check(value);
    if (wrong === undefined) continue;
    problems.push([key, `expected ${wrong.expected}, got ${shown(value)}`]);
    onWrong(wrong.wrongType);
  }
  if (problems.length === 0 && cross !== undefined) problems.push(...cross(record));
  return problems;
}
