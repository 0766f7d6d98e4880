/**
 * The run's event log on disk: append-only JSONL, one event per line, written in the order appended.
 * `append` is synchronous (observers call it from event handlers) and batches lines into one write
 * while the previous write is in flight, so a storm of events costs few system calls. Every event
 * passes `redact` first, and secret values seen once (a scenario's passwords in `run.started`) are
 * scrubbed from every later line too. `node:fs` is the one Node API here; Deno provides it as well.
 */
import { open, readFile } from 'node:fs/promises';
import type { LogEvent } from '../events/run-events.ts';
import { type ParseOptions, parseEventLog } from './parse.ts';
import { knownSecretsPattern, redact } from './redact.ts';

export { EventLogError, type ParseOptions, parseEventLog } from './parse.ts';

/** Where a log's text goes; `EventLog.open` writes to a file. */
export interface LogSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link EventLog}. */
export interface EventLogOptions {
  /** Secret values to scrub from every line besides the ones learned from events; default none. */
  secrets?: Iterable<string>;
}

/** An append-only JSONL event log; `await using log = await EventLog.open(path)`. */
export class EventLog implements AsyncDisposable {
  readonly #sink: LogSink;
  readonly #secrets: Set<string>;
  #pattern: RegExp | null;
  #pending: string[] = [];
  /** The last scheduled write; writes chain on it, so lines keep their order. */
  #tail: Promise<void> = Promise.resolve();
  #scheduled = false;
  #error: unknown;
  #closed = false;

  /** Opens (creating, or appending to) the file at `path`. */
  static async open(path: string, options: EventLogOptions = {}): Promise<EventLog> {
    const file = await open(path, 'a');
    return new EventLog(
      {
        write: (text) => file.appendFile(text),
        close: () => file.close(),
      },
      options,
    );
  }

  constructor(sink: LogSink, options: EventLogOptions = {}) {
    this.#sink = sink;
    this.#secrets = new Set(options.secrets ?? []);
    this.#pattern = knownSecretsPattern(this.#secrets);
  }

  /** Queues one event (redacted) for writing. Throws only after `close()`. */
  append(event: LogEvent): void {
    if (this.#closed) throw new Error(`cannot append a ${event.kind} event: the event log is closed`);
    const learned = new Set<string>();
    let clean = redact(event, this.#pattern, learned);
    const fresh = [...learned].filter((secret) => !this.#secrets.has(secret));
    if (fresh.length > 0) {
      // A secret seen for the first time may also sit in this event's own free text.
      for (const secret of fresh) this.#secrets.add(secret);
      this.#pattern = knownSecretsPattern(this.#secrets);
      clean = redact(event, this.#pattern);
    }
    this.#pending.push(`${JSON.stringify(clean)}\n`);
    if (this.#scheduled) return;
    // One write per turn of the event loop at most: everything appended meanwhile joins the batch.
    this.#scheduled = true;
    this.#tail = this.#tail.then(() => this.#drain());
  }

  /** Writes everything pending as one batch; never rejects (the error is kept for `flush`). */
  async #drain(): Promise<void> {
    this.#scheduled = false;
    if (this.#error !== undefined || this.#pending.length === 0) return;
    const batch = this.#pending.join('');
    this.#pending = [];
    try {
      await this.#sink.write(batch);
    } catch (error) {
      this.#error = error;
    }
  }

  /** Resolves when every appended event is written; rejects with the first write error. */
  async flush(): Promise<void> {
    // Appends while waiting chain another write onto the tail; wait until the tail stays put.
    let tail: Promise<void>;
    do {
      tail = this.#tail;
      await tail;
    } while (tail !== this.#tail);
    if (this.#error !== undefined) throw this.#error;
  }

  /** Flushes and closes the sink; later appends throw. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      await this.#sink.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Reads and parses the log at `path`; errors name `path` and the line. */
export async function readEventLog(path: string, options: ParseOptions = {}): Promise<LogEvent[]> {
  const text = await readFile(path, 'utf8');
  return parseEventLog(text, { source: path, ...options });
}
