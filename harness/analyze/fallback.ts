/**
 * The `fallbackTime` expectation: the pulls that started on a fault's nodes while it kept a
 * mirror down (`mirrors[].fallback`, mirror-timing.ts) all succeeded through the next host in
 * under the bound, and — given `atLeast` — none sooner (so a dial timeout was really waited).
 */
import type { Expectation } from '../scenario/expectations.ts';
import type { MirrorMeasures } from './mirrors.ts';
import { human } from './time.ts';
import type { ExpectationResult } from './types.ts';

/** Measured times to a tenth of a second: `human()` would round 120.4 s to 2m. */
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

type FallbackExpectation = Extract<Expectation, { type: 'fallbackTime' }>;

/** Judges one `fallbackTime` expectation against the mirrors' fallback measures. */
export function judgeFallback(
  e: FallbackExpectation,
  mirrors: readonly MirrorMeasures[],
): Omit<ExpectationResult, 'expectation'> {
  const bound =
    e.atLeastMs === undefined
      ? `under ${human(e.underMs)}`
      : `between ${human(e.atLeastMs)} and ${human(e.underMs)}`;
  const head = { description: `${e.fault} fallback to the next host ${bound}`, expected: bound };
  const found = mirrors.flatMap((m) => m.fallback.filter((f) => f.fault === e.fault));
  const f = found[0];
  if (!f) return { ...head, passed: false, actual: `no mirror fault '${e.fault}' in the run` };
  if (f.down.n === 0 && f.failed === 0)
    return { ...head, passed: false, actual: 'no pull started on its nodes while it was applied' };
  const spread =
    f.down.n === 0
      ? 'none succeeded'
      : `${f.down.n} pull${f.down.n === 1 ? '' : 's'} in ${secs(f.down.min!)}–${secs(f.down.max!)}`;
  const failed = f.failed > 0 ? `; ${f.failed} failed` : '';
  const passed =
    f.failed === 0 &&
    f.down.n > 0 &&
    f.down.max! < e.underMs &&
    (e.atLeastMs === undefined || f.down.min! >= e.atLeastMs);
  return { ...head, passed, actual: `${spread}${failed}` };
}
