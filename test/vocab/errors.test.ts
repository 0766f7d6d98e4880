import { describe, expect, test } from 'vitest';
import { EnvironmentError } from '../../harness/run/preflight.ts';
import { Interrupted } from '../../harness/run/signals.ts';
import { describeError, EXIT, exitCodeOf, PullstormError, UsageError } from '../../vocab/errors.ts';
import { ScenarioError } from '../../vocab/problem.ts';

describe('exit codes', () => {
  test('one table holds every code a command ends with, 130 for an interrupt included', () => {
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, harness: 3, interrupted: 130 });
  });

  test('each error carries its own code: usage 2, scenario 2, environment 3, interrupt 130, base 3', () => {
    expect(new UsageError('x').exitCode).toBe(2);
    expect(new ScenarioError([{ path: 'name', message: 'expected a string, got 1' }]).exitCode).toBe(2);
    expect(new EnvironmentError('no containerd').exitCode).toBe(3);
    expect(new Interrupted('SIGINT').exitCode).toBe(130);
    expect(new PullstormError('x').exitCode).toBe(3);
  });

  test('a thrown value that is not a PullstormError ends with 3, whatever exitCode it claims', () => {
    expect(exitCodeOf(new UsageError('bad flag'))).toBe(2);
    expect(exitCodeOf(Object.assign(new Error('subprocess failed'), { exitCode: 1 }))).toBe(3);
    expect(exitCodeOf('a string')).toBe(3);
  });

  test('errors keep their names, so messages and logs read as before', () => {
    expect(new UsageError('x').name).toBe('UsageError');
    expect(new Interrupted('SIGTERM').name).toBe('Interrupted');
    expect(new EnvironmentError('x')).toBeInstanceOf(PullstormError);
  });
});

describe('describeError', () => {
  test('is the message of an error and the text of anything else', () => {
    expect(describeError(new Error('disk full'))).toBe('disk full');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(undefined)).toBe('undefined');
  });

  test("lists an AggregateError's parts after its message", () => {
    expect(describeError(new AggregateError([new Error('a'), new Error('b')], 'teardown failed'))).toBe(
      'teardown failed: a; b',
    );
  });

  test('follows causes up to 4 messages deep, not repeating a cause already in the text', () => {
    const five = new Error('five');
    const chain = ['four', 'three', 'two', 'one'].reduce((cause, m) => new Error(m, { cause }), five);
    expect(describeError(chain)).toBe('one: two: three: four');
    expect(describeError(new Error('fetch failed', { cause: new Error('ECONNREFUSED') }))).toBe(
      'fetch failed: ECONNREFUSED',
    );
    expect(describeError(new Error('backend kind: boom', { cause: new Error('boom') }))).toBe(
      'backend kind: boom',
    );
  });
});
