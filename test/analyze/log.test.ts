import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  EventLog,
  EventLogError,
  type LogEvent,
  parseEventLog,
  REDACTED,
  readEventLog,
  redact,
} from '../../harness/analyze/index.ts';
import { LogBuilder } from './builders.ts';
import { tiny } from './fixtures/runs.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pullstorm-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const state = (i: number): LogEvent => ({
  kind: 'pod.state',
  time: new Date(Date.UTC(2026, 2, 2, 9, 0, 0, i)).toISOString(),
  pod: `p-${i}`,
  node: 'node-0',
  phase: 'Pending',
  image: tiny.ref,
});

describe('EventLog', () => {
  test('writes one event per line in the order appended, across batches', async () => {
    const path = join(dir, 'events.jsonl');
    const log = await EventLog.open(path);
    for (let i = 0; i < 500; i++) log.append(state(i));
    await log.flush();
    for (let i = 500; i < 1000; i++) {
      log.append(state(i));
      if (i % 97 === 0) await Promise.resolve();
    }
    await log.close();
    await log.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[1000]).toBe('');
    expect(lines.slice(0, 1000).map((l) => JSON.parse(l).pod)).toEqual(
      Array.from({ length: 1000 }, (_, i) => `p-${i}`),
    );
    expect(() => log.append(state(0))).toThrow('cannot append a pod.state event: the event log is closed');
  });

  test('appends to an existing file and round-trips through readEventLog', async () => {
    const path = join(dir, 'events.jsonl');
    for (const i of [0, 1]) {
      await using log = await EventLog.open(path);
      log.append(state(i));
    }
    expect((await readEventLog(path)).map((e) => e.kind === 'pod.state' && e.pod)).toEqual(['p-0', 'p-1']);
  });

  test('reports the first write error from flush and close', async () => {
    const log = new EventLog({
      write: () => Promise.reject(new Error('disk quota exceeded')),
      close: () => Promise.resolve(),
    });
    log.append(state(0));
    await expect(log.flush()).rejects.toThrow('disk quota exceeded');
    await expect(log.close()).rejects.toThrow('disk quota exceeded');
  });

  test('a known password anywhere in an event never reaches the file', async () => {
    const password = 'hunter2-Pw!9';
    const path = join(dir, 'events.jsonl');
    const b = new LogBuilder();
    const events: LogEvent[] = [
      // Learned from the scenario's auth block…
      {
        kind: 'run.started',
        time: b.iso(0),
        runId: 'r',
        scenario: {
          name: 's',
          registries: [{ name: 'registry', auth: { users: [{ username: 'ci', password }] } }],
        },
      } as unknown as LogEvent,
      // …then scrubbed from free text, nested fields, header values and URLs in later events.
      { ...state(1), message: `login as ci:${password} failed` } as LogEvent,
      {
        kind: 'fault.applied',
        time: b.iso(2),
        id: 'auth-0',
        fault: 'auth-bad-credentials',
        options: { credentials: { user: 'ci', Password: password }, note: [`pw=${password}`] },
      },
      {
        kind: 'pull.attempt',
        time: b.iso(3),
        node: 'node-0',
        image: tiny.ref,
        ok: false,
        durationMs: 5,
        error: `Get "https://ci:${password}@registry:5000/v2/": Authorization: Basic Y2k6aHVudGVyMg== denied`,
      },
    ];
    {
      await using log = await EventLog.open(path, { secrets: ['other-known-secret'] });
      for (const e of events) log.append(e);
      log.append({ ...state(4), message: 'token other-known-secret leaked' } as LogEvent);
    }
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(password);
    expect(text).not.toContain('other-known-secret');
    expect(text).not.toContain('Y2k6aHVudGVyMg==');
    const [started, state1, fault, attempt, state4] = parseEventLog(text) as unknown as Record<
      string,
      unknown
    >[];
    expect(JSON.stringify(started)).toContain('"auth":"[redacted]"');
    expect(state1!.message).toBe('login as ci:[redacted] failed');
    expect(fault!.options).toEqual({
      credentials: { user: 'ci', Password: REDACTED },
      note: ['pw=[redacted]'],
    });
    expect(attempt!.error).toBe(
      'Get "https://ci:[redacted]@registry:5000/v2/": Authorization: Basic [redacted] denied',
    );
    expect(state4!.message).toBe('token [redacted] leaked');
  });
});

describe('redact', () => {
  test('replaces secret-named fields at any depth and leaves kubelet texts alone', () => {
    const text =
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';
    expect(
      redact({
        token: 'abc',
        access_token: 'def',
        nested: [{ Authorization: 'Bearer xyz', secret: { a: 1 }, password: null }],
        message: text,
        jwt: 'header eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl trailer',
      }),
    ).toEqual({
      token: REDACTED,
      access_token: REDACTED,
      nested: [{ Authorization: REDACTED, secret: REDACTED, password: null }],
      message: text,
      jwt: `header ${REDACTED} trailer`,
    });
  });
});

describe('parseEventLog', () => {
  const good = JSON.stringify(state(0));
  test('skips blank lines and keeps unknown kinds', () => {
    const text = `${good}\n\n${JSON.stringify({ kind: 'future.kind', time: state(1).time })}\r\n`;
    expect(parseEventLog(text).map((e) => e.kind)).toEqual(['pod.state', 'future.kind']);
  });

  test.each([
    ['[1,2]', 'events.jsonl:2: expected a JSON event with a kind, got [1,2]'],
    [
      '{"time":"2026-03-02T09:00:00Z"}',
      'events.jsonl:2: expected a JSON event with a kind, got {"time":"2026-03-02T09:00:00Z"}',
    ],
    [
      '{"kind":"pod.state","time":"yesterday"}',
      'events.jsonl:2: expected an ISO time in the pod.state event, got "yesterday"',
    ],
    ['{"kind":"pod.state"}', 'events.jsonl:2: expected an ISO time in the pod.state event, got none'],
    ['{"kind":"pod.state",', 'events.jsonl:2: expected a JSON event with a kind, got {"kind":"pod.state", ('],
  ])('names the line of a bad line: %s', (bad, message) => {
    expect(() => parseEventLog(`${good}\n${bad}\n${good}\n`)).toThrow(message);
  });

  test('errors are EventLogErrors with the source and line', () => {
    try {
      parseEventLog(`${good}\n${good}\nnot json`, { source: 'run/events.jsonl' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EventLogError);
      expect(error).toMatchObject({ code: 'EVENT_LOG_INVALID', source: 'run/events.jsonl', line: 3 });
      expect((error as Error).message).toMatch(
        /^run\/events\.jsonl:3: expected a JSON event with a kind, got not json \(/,
      );
    }
  });

  test('a truncated last line (a killed writer) is skipped only when asked', () => {
    const text = `${good}\n{"kind":"pod.st`;
    expect(() => parseEventLog(text)).toThrow('events.jsonl:2:');
    expect(parseEventLog(text, { allowTruncatedTail: true })).toHaveLength(1);
    // A bad line in the middle is never a truncated tail.
    expect(() => parseEventLog(`{"kind":"pod.st\n${good}`, { allowTruncatedTail: true })).toThrow(
      'events.jsonl:1:',
    );
  });

  test('readEventLog names the file in errors', async () => {
    const path = join(dir, 'broken.jsonl');
    await writeFile(path, `${good}\n"just a string"\n`);
    await expect(readEventLog(path)).rejects.toThrow(
      `${path}:2: expected a JSON event with a kind, got "just a string"`,
    );
  });
});
