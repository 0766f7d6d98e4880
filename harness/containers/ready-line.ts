/**
 * Reads a stub container's output as testcontainers streams it: finds the JSON ready line and keeps
 * the last lines, so a stub that dies at start explains itself in the error.
 */
import type { Readable } from 'node:stream';
import type { ServeReady } from '../../registry-stubs/serve/serve-registry.ts';

/** How long `ready()` waits after the wait strategy saw the line: 10 s (two log streams, same text). */
const READY_GRACE_MS = 10_000;
const TAIL_LINES = 20;

/** A log consumer and the ready line it finds. */
export interface ReadyLineWatcher {
  /** Pass to `withLogConsumer`. */
  consume(stream: Readable): void;
  /** The parsed ready line; rejects if the output ends or the grace time passes without it. */
  ready(): Promise<ServeReady>;
  /** The last output lines, formatted to append to an error message ('' when there is none). */
  tail(): string;
}

/** Creates a watcher for one container's output. */
export function readyLineWatcher(): ReadyLineWatcher {
  const lines: string[] = [];
  let partial = '';
  let settle: { resolve(ready: ServeReady): void; reject(error: Error): void } | undefined;
  const found = new Promise<ServeReady>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may ask for the line when start fails; that must not become an unhandled rejection.
  found.catch(() => undefined);

  const take = (line: string) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
    if (!line.startsWith('{"ready":true')) return;
    try {
      settle?.resolve(JSON.parse(line) as ServeReady);
    } catch (error) {
      settle?.reject(new Error(`registry stub printed an unreadable ready line: ${line}`, { cause: error }));
    }
  };

  return {
    consume(stream) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const part of parts) take(part.replace(/\r$/, ''));
      });
      stream.on('end', () => {
        if (partial) take(partial);
        settle?.reject(new Error(`registry stub output ended without a ready line${formatTail(lines)}`));
      });
      stream.on('error', (error) => settle?.reject(error));
    },
    ready() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`registry stub ready line not seen in its output${formatTail(lines)}`)),
          READY_GRACE_MS,
        );
      });
      return Promise.race([found, late]).finally(() => clearTimeout(timer));
    },
    tail: () => formatTail(lines),
  };
}

function formatTail(lines: string[]): string {
  return lines.length === 0
    ? ''
    : `\n--- container output (last ${lines.length} lines) ---\n${lines.join('\n')}`;
}
