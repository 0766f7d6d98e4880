/**
 * Reading an event log's text: one JSON event per line. A bad line is an error naming the file and
 * the line (`events.jsonl:17: expected a JSON event with a kind, got …`), because a log that
 * silently lost events would give wrong measures. Kinds this version does not know are kept, so an
 * older analyser reads a newer log; analysis ignores them.
 */
import type { LogEvent } from '../events/run-events.ts';

/** Options of {@link parseEventLog}. */
export interface ParseOptions {
  /** Name used in error messages; default `events.jsonl`. */
  source?: string;
  /**
   * Skip an unparsable last line that has no newline — what a killed writer leaves behind;
   * default false (every line must parse).
   */
  allowTruncatedTail?: boolean;
}

/** A line that is not an event; `line` is 1-based. */
export class EventLogError extends SyntaxError {
  /** Stable code for callers that catch it. */
  readonly code = 'EVENT_LOG_INVALID';
  /** The file (or name) the text came from. */
  readonly source: string;
  /** 1-based line number. */
  readonly line: number;
  constructor(source: string, line: number, detail: string) {
    super(`${source}:${line}: ${detail}`);
    this.name = 'EventLogError';
    this.source = source;
    this.line = line;
  }
}

/** The start of a bad line, for messages. */
function excerpt(text: string): string {
  const oneLine = text.trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine === '' ? 'an empty value' : oneLine;
}

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** Why a parsed value is not an event, or undefined when it is one. */
function problem(value: unknown, text: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected a JSON event with a kind, got ${excerpt(text)}`;
  }
  const { kind, time } = value as { kind?: unknown; time?: unknown };
  if (typeof kind !== 'string' || kind === '')
    return `expected a JSON event with a kind, got ${excerpt(text)}`;
  // The writer's own format passes the cheap test; anything else must at least parse as a date.
  if (typeof time !== 'string' || (!isoTime.test(time) && Number.isNaN(Date.parse(time)))) {
    return `expected an ISO time in the ${kind} event, got ${JSON.stringify(time) ?? 'none'}`;
  }
  return undefined;
}

/** Parses JSONL text into events; blank lines are skipped. Throws {@link EventLogError}. */
export function parseEventLog(text: string, options: ParseOptions = {}): LogEvent[] {
  const source = options.source ?? 'events.jsonl';
  const lines = text.split('\n');
  const events: LogEvent[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const isTail = i === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (isTail && options.allowTruncatedTail) break;
      const why = error instanceof Error ? error.message : String(error);
      throw new EventLogError(
        source,
        i + 1,
        `expected a JSON event with a kind, got ${excerpt(line)} (${why})`,
      );
    }
    const wrong = problem(value, line);
    if (wrong !== undefined) throw new EventLogError(source, i + 1, wrong);
    events.push(value as LogEvent);
  }
  return events;
}
