/**
 * `pullstorm/vitest`: matchers that read like a scenario's expectations, for regression suites.
 * Importing this module registers them with vitest's `expect.extend` and types them on vitest's
 * `Assertion`. Each accepts a `runScenario()` result or its `analysis`, and a failure quotes what
 * was measured (`expected rate-limited detected within 1s; measured: detected after 4.2s`).
 *
 * @example
 * ```ts
 * import 'pullstorm/vitest';
 * import { runScenario } from 'pullstorm';
 * import { expect, test } from 'vitest';
 *
 * test('a quota is seen and survived', async () => {
 *   const result = await runScenario('rate-limit');
 *   expect(result).toDetect('rate-limited').within('30s');
 *   expect(result).toClassifyAs('rate-limited');
 *   expect(result).toRecoverWithin('3m');
 *   expect(result).toHaveAllPodsRunning();
 * });
 * ```
 */
import { chai, expect } from 'vitest';
import {
  analysisOf,
  boundMs,
  type Judgement,
  judgeAllPodsRunning,
  judgeAmplification,
  judgeClassification,
  judgeDetection,
  judgeRecovery,
  judgeVerdict,
} from './judge.ts';

export type { Judged, Judgement } from './judge.ts';

/** What `toDetect()` returns: the assertion, and `.within(bound)` to put a time on the detection. */
export interface DetectionAssertion<R> {
  /** The first detection came within `bound` (`'30s'`, `'2m'`, or ms) of the fault's start. */
  within(bound: string | number): R;
}

/** The matchers `pullstorm/vitest` adds. `what` is a fault id, a catalogue name or an expected cause. */
export interface PullstormMatchers<R = unknown> {
  /** A failure caused by `what` was classified as one of its expected causes; chain `.within('30s')`. */
  toDetect(what: string): DetectionAssertion<R>;
  /** Every fault (or those `what` names) cleared and every pod it failed was running again within `bound`. */
  toRecoverWithin(bound: string | number, what?: string): R;
  /** Every failure under every fault (or those `what` names) was classified as `cause`. */
  toClassifyAs(cause: string, what?: string): R;
  /** Every pod ended the run running. */
  toHaveAllPodsRunning(): R;
  /** Origin blob bytes ÷ unique blob bytes was at most `atMost` (1 is a perfect cache). */
  toHaveOriginAmplificationAtMost(atMost: number): R;
  /** The run's verdict was `pass`; a failure lists the expectations that did not hold. */
  toPassExpectations(): R;
}

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown>
    extends PullstormMatchers<R> {}
}

function outcome(isNot: boolean, j: Judgement) {
  return {
    pass: j.pass,
    message: () => `expected ${isNot ? 'not ' : ''}${j.expected}; measured: ${j.actual}`,
    expected: j.expected,
    actual: j.actual,
  };
}

// The subject of the last toDetect() per result object, for the `.within()` that may follow it.
const detecting = new WeakMap<object, string>();

expect.extend({
  toDetect(received: unknown, what: string) {
    const j = judgeDetection(analysisOf(received), what);
    if (typeof received === 'object' && received !== null) detecting.set(received, what);
    return outcome(this.isNot, j);
  },
  toRecoverWithin(received: unknown, bound: string | number, what?: string) {
    return outcome(this.isNot, judgeRecovery(analysisOf(received), boundMs(bound), what));
  },
  toClassifyAs(received: unknown, cause: string, what?: string) {
    return outcome(this.isNot, judgeClassification(analysisOf(received), cause, what));
  },
  toHaveAllPodsRunning(received: unknown) {
    return outcome(this.isNot, judgeAllPodsRunning(analysisOf(received)));
  },
  toHaveOriginAmplificationAtMost(received: unknown, atMost: number) {
    if (typeof atMost !== 'number' || !Number.isFinite(atMost) || atMost < 0) {
      throw new RangeError(`toHaveOriginAmplificationAtMost: expected a ratio of 0 or more, got ${atMost}`);
    }
    return outcome(this.isNot, judgeAmplification(analysisOf(received), atMost));
  },
  toPassExpectations(received: unknown) {
    return outcome(this.isNot, judgeVerdict(analysisOf(received)));
  },
});

// `.within()` after toDetect(): chai already has `within(start, finish)` for numbers, so it is
// overwritten to act only when the assertion's last matcher was toDetect (vitest records the
// matcher name in the `_name` flag), and to defer to chai's otherwise.
chai.util.overwriteMethod(
  chai.Assertion.prototype,
  'within',
  (original: (...args: unknown[]) => unknown) =>
    function within(this: Chai.AssertionStatic, ...args: unknown[]) {
      const subject = chai.util.flag(this, 'object') as unknown;
      const what = typeof subject === 'object' && subject !== null ? detecting.get(subject) : undefined;
      if (chai.util.flag(this, '_name') !== 'toDetect' || what === undefined)
        return original.apply(this, args);
      const j = judgeDetection(analysisOf(subject), what, boundMs(args[0] as string | number));
      const negate = chai.util.flag(this, 'negate') === true;
      if (j.pass === negate) {
        throw new chai.AssertionError(
          `expected ${negate ? 'not ' : ''}${j.expected}; measured: ${j.actual}`,
          {
            expected: j.expected,
            actual: j.actual,
          },
        );
      }
      return this;
    },
);
