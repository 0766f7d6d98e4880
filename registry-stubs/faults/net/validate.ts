/**
 * Option checking shared by the fault factories: every problem is collected and thrown at once,
 * each saying what was expected and what was given (Deno std style: TypeError for a wrong type,
 * RangeError for a value out of range).
 */

/** The problems found in one factory call. */
export interface Problems {
  /** Fault name, the prefix of the message. */
  readonly fault: string;
  readonly messages: string[];
  /** Whether any problem is a wrong type (then a TypeError is thrown). */
  wrongType: boolean;
}

/** Starts collecting problems for `fault`. */
export function problemsOf(fault: string): Problems {
  return { fault, messages: [], wrongType: false };
}

/** Describes a given value for a message: strings quoted, everything else as JSON would show it. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || value === undefined || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** Range rule of a numeric option. */
export interface NumberRule {
  /** Inclusive lower bound; default 0. */
  min?: number;
  /** Inclusive upper bound; default none. */
  max?: number;
  /** Require an integer; default false. */
  integer?: boolean;
}

/** Checks an optional number; `undefined` is fine (the default applies). */
export function checkNumber(problems: Problems, name: string, value: unknown, rule: NumberRule = {}): void {
  if (value === undefined) return;
  const min = rule.min ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    problems.messages.push(`${name} must be a number, got ${shown(value)}`);
    problems.wrongType = true;
    return;
  }
  const kind = rule.integer ? 'an integer' : 'a number';
  const range = rule.max === undefined ? `≥ ${min}` : `in [${min}, ${rule.max}]`;
  const outside = value < min || (rule.max !== undefined && value > rule.max);
  if ((rule.integer && !Number.isInteger(value)) || !Number.isFinite(value) || outside) {
    problems.messages.push(`${name} must be ${kind} ${range}, got ${value}`);
  }
}

/** Checks an optional value against the allowed strings. */
export function checkChoice(
  problems: Problems,
  name: string,
  value: unknown,
  allowed: readonly string[],
): void {
  if (value === undefined || allowed.includes(value as string)) return;
  problems.messages.push(
    `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${shown(value)}`,
  );
  if (typeof value !== 'string') problems.wrongType = true;
}

/** Reports option keys the factory does not know (typos in YAML-driven scenarios otherwise pass silently). */
export function checkKeys(problems: Problems, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    problems.messages.push(`unknown option ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
}

/** Throws one TypeError or RangeError naming every problem, if there are any. */
export function throwIfAny(problems: Problems): void {
  if (problems.messages.length === 0) return;
  const message = `${problems.fault}: ${problems.messages.join('; ')}`;
  throw problems.wrongType ? new TypeError(message) : new RangeError(message);
}
