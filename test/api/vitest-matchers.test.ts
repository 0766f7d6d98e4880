import { beforeAll, describe, expect, test } from 'vitest';
import '../../api/vitest/index.ts';
import { readEventLog } from '../../harness/analyze/log.ts';
import type { Analysis } from '../../harness/analyze/types.ts';
import { analyzeEvents } from '../../harness/run/runner.ts';

// Real analyses: recorded event logs of a passing rate-limit run (detected after 1.05s, recovered
// after 40.1s, amplification 4) and a failing tls-unknown-ca + tag-overwrite run.
let passing: { analysis: Analysis };
let failing: Analysis;
beforeAll(async () => {
  passing = { analysis: analyzeEvents(await readEventLog('test/analyze/fixtures/passing.jsonl')) };
  failing = analyzeEvents(await readEventLog('test/analyze/fixtures/failing.jsonl'));
});

/** The message of the assertion error `fn` throws. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the assertion to fail, it passed');
}

describe('toDetect', () => {
  test('passes for a detected fault named by cause, catalogue name or id', () => {
    expect(passing).toDetect('rate-limited');
    expect(passing).toDetect('rate-limit');
    expect(passing.analysis).toDetect('rate-limit-0');
  });
  test('.within() holds when the first detection came inside the bound', () => {
    expect(passing).toDetect('rate-limited').within('2s');
    expect(passing).toDetect('rate-limited').within(1050);
  });
  test('.within() fails quoting the measured detection time', () => {
    expect(failure(() => expect(passing).toDetect('rate-limited').within('1s'))).toBe(
      'expected rate-limited detected within 1s; measured: detected after 1.1s',
    );
  });
  test('fails for a fault never detected, quoting the causes its failures had', () => {
    expect(failure(() => expect(failing).toDetect('tls-unknown-ca'))).toMatch(
      /measured: never detected \(failures by cause: tls-unknown-ca-0: \{"connection-reset":1,"unclassified":1\}\)/,
    );
  });
  test('fails naming the run faults when nothing matches', () => {
    expect(failure(() => expect(passing).toDetect('quota'))).toContain(
      "no fault named 'quota': the run's faults: rate-limit-0 (rate-limit)",
    );
  });
  test('.not inverts it', () => {
    expect(failing).not.toDetect('tls-unknown-ca');
  });
  test("chai's own within(start, finish) still works on numbers", () => {
    expect(5).to.be.within(1, 10);
  });
});

describe('toRecoverWithin, toClassifyAs, toHaveAllPodsRunning, toHaveOriginAmplificationAtMost, toPassExpectations', () => {
  test('toRecoverWithin quotes each recovery time and a fault that never recovered', () => {
    expect(passing).toRecoverWithin('41s');
    expect(failure(() => expect(passing).toRecoverWithin('40s'))).toBe(
      'expected every fault recovered within 40s; measured: rate-limit-0 recovered after 40.1s',
    );
    expect(failure(() => expect(failing).toRecoverWithin('1m'))).toContain('tag-overwrite-1 never recovered');
  });
  test('toClassifyAs holds only when every failure has the cause', () => {
    expect(passing).toClassifyAs('rate-limited');
    expect(failure(() => expect(failing).toClassifyAs('tls-unknown-ca', 'tls-unknown-ca-0'))).toBe(
      'expected every failure under tls-unknown-ca-0 classified as tls-unknown-ca; measured: tls-unknown-ca-0: {"connection-reset":1,"unclassified":1}',
    );
  });
  test('toHaveAllPodsRunning counts the pods', () => {
    expect(passing).toHaveAllPodsRunning();
    expect(failure(() => expect(passing).not.toHaveAllPodsRunning())).toBe(
      'expected not every pod running at the end; measured: all 4 pods running',
    );
  });
  test('toHaveOriginAmplificationAtMost quotes the ratio and the bytes', () => {
    expect(passing).toHaveOriginAmplificationAtMost(4);
    expect(failure(() => expect(failing).toHaveOriginAmplificationAtMost(2))).toMatch(
      /^expected origin amplification at most 2; measured: 2\.13 \(\d+ origin blob bytes for \d+ unique\)$/,
    );
    expect(() => expect(passing).toHaveOriginAmplificationAtMost(-1)).toThrow(RangeError);
  });
  test('toPassExpectations lists the expectations that failed', () => {
    expect(passing).toPassExpectations();
    expect(failure(() => expect(failing).toPassExpectations())).toMatch(
      /^expected verdict pass; measured: fail\n {2}✗ /,
    );
  });
  test('a value that is not a run result is a TypeError saying what was given', () => {
    expect(() => expect('log').toHaveAllPodsRunning()).toThrow(
      'expected a runScenario() result or its analysis, got string',
    );
  });
});
