/**
 * The Go formatting kubelet's messages are built with, reproduced so texts match byte for byte:
 * `time.Duration.String()` (go/src/time/time.go), `%q` (strconv.Quote) and the error text of
 * `utilerrors.NewAggregate` (k8s.io/apimachinery/pkg/util/errors/errors.go).
 */

const NS_PER_MS = 1_000_000n;
const units = { us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n } as const;

/** Writes `v / 10**prec` as `.ddd` without trailing zeros (empty when the fraction is 0), like fmtFrac. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let printed = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    printed ||= digit !== 0n;
    if (printed) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [printed ? `.${digits}` : '', v];
}

/** Go's `time.Duration(ns).String()`: `0s`, `1.1µs`, `512ms`, `1.234s`, `2m3.5s`, `5h6m7.001s`. */
export function goDuration(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < units.s) {
    if (u === 0n) return '0s';
    // Below one second Go switches to the largest unit that keeps an integer part.
    const [prec, suffix] = u < units.us ? [0, 'ns'] : u < units.ms ? [3, 'µs'] : [6, 'ms'];
    const [frac, int] = fraction(u, prec);
    out = `${int}${frac}${suffix}`;
  } else {
    const [frac, secs] = fraction(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      // Go stops at hours because days have different lengths.
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** A duration in (possibly fractional) ms truncated to whole ms, as kubelet's `.Truncate(time.Millisecond)`. */
export function goDurationMs(ms: number): string {
  return goDuration(BigInt(Math.trunc(ms)) * NS_PER_MS);
}

const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
const escapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** Go's `%q` of a string (strconv.Quote): printable runes kept, others escaped as Go does. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const esc = escapes[ch];
    if (esc) out += esc;
    else if (printable.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff)
      out += '\\ufffd'; // a lone surrogate is invalid UTF-8 in Go
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Error text of `utilerrors.NewAggregate(errs)`: one unique message bare, several as `[a, b]`. */
export function aggregateErrorText(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `[${unique.join(', ')}]`;
}
