/**
 * The pieces validation is made of: a `Checker` that collects every problem instead of stopping
 * at the first, and small rules (`int`, `oneOf`, `duration` …) that each know what they expect,
 * so every message has the form "expected X, got Y". `null` is treated as absent (Kubernetes does
 * the same), so an optional key left empty in YAML takes its default.
 */

import { closest } from '../../vocab/closest.ts';
import { at, type Problem, shown } from '../../vocab/problem.ts';
import { DURATION_EXAMPLES, durationProblem } from './duration.ts';
import { SIZE_EXAMPLES, sizeProblem } from './quantity.ts';

/** Re-exported: the validators ask for their "did you mean" here with the rest of the rules. */
export { closest };

/** A check of one value: what it expects (for messages) and the test, returning the value or undefined. */
export interface Rule<T> {
  readonly expects: string;
  check(value: unknown, path: string, ck: Checker): T | undefined;
}

/** Collects problems in the order they are checked. */
export class Checker {
  readonly problems: Problem[] = [];
  /** Accept numbers (ms) for durations other than 0; false for YAML/JSON, where `300` is ambiguous. */
  readonly durationNumbers: boolean;

  constructor(durationNumbers: boolean) {
    this.durationNumbers = durationNumbers;
  }

  /** Records a problem; returns undefined so a check can `return ck.add(…)`. */
  add(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  /** Reports `expected <expects>, got <value>`; returns undefined for `return ck.wrong(…)`. */
  wrong(path: string, expects: string, value: unknown, note?: string): undefined {
    return this.add(path, `expected ${expects}, got ${shown(value)}${note ? ` (${note})` : ''}`);
  }

  /** `value` as a mapping whose keys are all in `fields`; every unknown key is reported at its path. */
  mapping(value: unknown, path: string, fields: readonly string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.wrong(path, `a mapping with ${fields.join(', ')}`, value);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (fields.includes(key)) continue;
      const guess = closest(key, fields);
      this.add(
        at(path, key),
        `unknown field${guess ? ` (did you mean '${guess}'?)` : ''}; expected one of ${fields.join(', ')}`,
      );
    }
    return record;
  }

  /** `value` as a list of at least `min` items. */
  list(value: unknown, path: string, expects: string, min = 0): unknown[] | undefined {
    if (!Array.isArray(value)) return this.wrong(path, `a list of ${expects}`, value);
    if (value.length < min)
      return this.add(path, `expected at least ${min} of ${expects}, got ${value.length}`);
    return value;
  }

  /** Checks `record[key]` with `rule`; absent (or null) is a problem only when `required`. */
  field<T>(record: Record<string, unknown>, path: string, key: string, rule: Rule<T>, required = false) {
    const value = record[key];
    if (value === undefined || value === null) {
      if (required) this.add(at(path, key), `required field missing; expected ${rule.expects}`);
      return undefined;
    }
    return rule.check(value, at(path, key), this);
  }
}

/** A string; `test` returns false (standard message) or a note saying what is wrong. */
export function str(expects = 'a string', test?: (s: string) => boolean | string | undefined): Rule<string> {
  return {
    expects,
    check(value, path, ck) {
      if (typeof value !== 'string') return ck.wrong(path, expects, value);
      const verdict = test ? test(value) : true;
      if (verdict === true || verdict === undefined) return value;
      return ck.wrong(path, expects, value, verdict === false ? undefined : verdict);
    },
  };
}

/** A string from `values`, with a "did you mean" for near misses. */
export function oneOf<const T extends string>(values: readonly T[]): Rule<T> {
  const expects = `one of ${values.join(', ')}`;
  return {
    expects,
    check(value, path, ck) {
      if ((values as readonly unknown[]).includes(value)) return value as T;
      const guess = typeof value === 'string' ? closest(value, values) : undefined;
      return ck.wrong(path, expects, value, guess && `did you mean '${guess}'?`);
    },
  };
}

/** A boolean (YAML 1.2: only `true` and `false`; `yes`, `on` … are strings). */
export const bool: Rule<boolean> = {
  expects: 'true or false',
  check(value, path, ck) {
    if (typeof value === 'boolean') return value;
    const yaml11 = typeof value === 'string' && /^(y|yes|n|no|on|off)$/i.test(value);
    return ck.wrong(path, 'true or false', value, yaml11 ? `YAML 1.2 reads ${value} as a string` : undefined);
  },
};

/** A number within bounds; `integer` demands a whole number. */
export function num(bounds: { min?: number; max?: number; above?: number; integer?: boolean }): Rule<number> {
  const { min, max, above, integer } = bounds;
  const kind = integer ? 'integer' : 'number';
  const expects =
    min === 1 && max === undefined && integer
      ? 'a positive integer'
      : min !== undefined && max !== undefined
        ? `${kind === 'integer' ? 'an integer' : 'a number'} from ${min} to ${max}`
        : above !== undefined
          ? `a ${kind} greater than ${above}`
          : min !== undefined
            ? `${kind === 'integer' ? 'an integer' : 'a number'} of ${min} or more`
            : `${kind === 'integer' ? 'an integer' : 'a number'}`;
  return {
    expects,
    check(value, path, ck) {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!integer || Number.isInteger(value)) &&
        (min === undefined || value >= min) &&
        (max === undefined || value <= max) &&
        (above === undefined || value > above);
      return ok ? value : ck.wrong(path, expects, value);
    },
  };
}

/** A duration in ms from `30s`-style text (or a number of ms where allowed); `positive` rejects 0. */
export function duration(positive = false): Rule<number> {
  const expects = `a ${positive ? 'positive ' : ''}duration such as ${DURATION_EXAMPLES}`;
  return {
    expects,
    check(value, path, ck) {
      let ms: number;
      if (typeof value === 'number') {
        if (value !== 0 && !ck.durationNumbers) {
          return ck.wrong(
            path,
            `a duration string such as ${DURATION_EXAMPLES}`,
            value,
            'a bare number would mean ms',
          );
        }
        if (!Number.isFinite(value) || value < 0) return ck.wrong(path, expects, value);
        ms = value;
      } else if (typeof value === 'string') {
        const result = durationProblem(value);
        if (typeof result === 'string') return ck.wrong(path, expects, value, result);
        ms = result;
      } else return ck.wrong(path, expects, value);
      return positive && ms === 0 ? ck.wrong(path, expects, value) : ms;
    },
  };
}

/** A byte size: a positive whole number or a quantity such as `512Mi`. */
export const size: Rule<number> = {
  expects: SIZE_EXAMPLES,
  check(value, path, ck) {
    if (typeof value !== 'number' && typeof value !== 'string') return ck.wrong(path, SIZE_EXAMPLES, value);
    const result = sizeProblem(value);
    return typeof result === 'number' ? result : ck.wrong(path, SIZE_EXAMPLES, value, result);
  },
};

/** Checks each item of an optional list field with `rule`; the list may not be empty. */
export function eachOf<T>(
  ck: Checker,
  record: Record<string, unknown>,
  path: string,
  key: string,
  rule: Rule<T>,
) {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  const items = ck.list(value, at(path, key), rule.expects, 1);
  return items?.map((item, i) => rule.check(item, at(at(path, key), i), ck));
}
