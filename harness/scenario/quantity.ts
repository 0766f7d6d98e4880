/**
 * Byte sizes as Kubernetes resource quantities write them (`512Mi`, `2Gi`, `500M`), or a plain
 * number of bytes. Only whole bytes make sense for a disk or an image, so fractions are rejected.
 */

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** What a size looks like, for messages. */
export const SIZE_EXAMPLES = "a number of bytes or a quantity such as '512Mi' or '2Gi'";

/** Bytes in `value` (a number, or a quantity string), or why it is not a size. */
export function sizeProblem(value: number | string): number | string {
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else {
    const m = /^(\d+(?:\.\d+)?)([kMGTP]i?|Ki)?$/.exec(value.trim());
    if (!m || (m[2] !== undefined && !(m[2] in SUFFIX))) return 'not a quantity';
    bytes = Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? 1);
  }
  if (!Number.isSafeInteger(bytes)) return 'not a whole number of bytes';
  if (bytes <= 0) return 'not positive';
  return bytes;
}

/** Parses `'512Mi'` or `536870912` into bytes; throws a RangeError for anything else. */
export function parseSize(value: number | string): number {
  const result = sizeProblem(value);
  if (typeof result === 'number') return result;
  throw new RangeError(`expected ${SIZE_EXAMPLES}, got ${JSON.stringify(value)} (${result})`);
}
