/**
 * What the mirror answered, read from its own log while the run goes on: distribution's
 * `response completed` lines and nginx's access log (a format pullstorm writes, with the cache
 * status). The doors in front of a mirror see only bytes, so this is the one place the harness
 * learns which requests a real mirror served and, for nginx, which were cache hits.
 */
import { open } from 'node:fs/promises';

/** One request a mirror answered. */
export interface MirrorRequest {
  method: string;
  /** Path without the query. */
  path: string;
  status: number;
  bytes: number;
  durationMs: number;
  /** nginx's `$upstream_cache_status` (HIT, MISS, EXPIRED, STALE, …); undefined for distribution. */
  cache?: string;
}

const field = (line: string, key: string) =>
  new RegExp(`(?:^| )${key.replace(/\./g, '\\.')}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`)
    .exec(line)?.[1]
    ?.replace(/^"|"$/g, '');

/** A Go duration such as `41.1ms`, `1.2s`, `850µs` in milliseconds. */
function goDurationMs(text: string | undefined): number {
  const m = /^([\d.]+)(ns|µs|us|ms|s|m)$/.exec(text ?? '');
  if (!m) return 0;
  const scale = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1e3, m: 6e4 }[m[2] as 'ms'];
  return Number(m[1]) * scale;
}

/** A distribution 2.8 text-format log line, when it is a completed request. */
export function parseDistributionLine(line: string): MirrorRequest | undefined {
  if (!line.includes('msg="response completed"')) return undefined;
  const uri = field(line, 'http.request.uri');
  const method = field(line, 'http.request.method');
  const status = Number(field(line, 'http.response.status'));
  if (!uri || !method || !Number.isInteger(status)) return undefined;
  return {
    method,
    path: uri.split('?')[0]!,
    status,
    bytes: Number(field(line, 'http.response.written') ?? 0),
    durationMs: goDurationMs(field(line, 'http.response.duration')),
  };
}

/**
 * The error of a distribution line that failed to store a blob it fetched (`msg="Error
 * committing to storage: …"`), e.g. `… no space left on device`; undefined for any other line.
 */
export function parseDistributionStoreError(line: string): string | undefined {
  if (!line.includes('level=error')) return undefined;
  const msg = field(line, 'msg');
  return msg?.startsWith('Error committing to storage') ? msg.replace(/\\"/g, '"') : undefined;
}

/** The access log format nginx.ts configures (`log_format mirror`). */
export const NGINX_LOG_FORMAT =
  '"$request" $status $body_bytes_sent $request_time cache=$upstream_cache_status upstream=$upstream_status';

/** A line of {@link NGINX_LOG_FORMAT}. */
export function parseNginxLine(line: string): MirrorRequest | undefined {
  const m = /^"(\S+) (\S+) [^"]*" (\d{3}) (\d+) ([\d.]+) cache=(\S*)/.exec(line);
  if (!m) return undefined;
  return {
    method: m[1]!,
    path: m[2]!.split('?')[0]!,
    status: Number(m[3]),
    bytes: Number(m[4]),
    durationMs: Number(m[5]) * 1000,
    ...(m[6] && m[6] !== '-' ? { cache: m[6] } : {}),
  };
}

/** Follows a growing log file: every `intervalMs`, new complete lines go through `parse` to `on`. */
export function followLog<T>(
  file: string,
  parse: (line: string) => T | undefined,
  on: (entry: T) => void,
  intervalMs = 200,
): { drain(): Promise<void>; stop(): Promise<void> } {
  let offset = 0;
  let partial = '';
  let running: Promise<void> = Promise.resolve();
  const readNew = async () => {
    const handle = await open(file, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      if (size <= offset) return;
      const buffer = Buffer.alloc(size - offset);
      await handle.read(buffer, 0, buffer.length, offset);
      offset = size;
      const lines = (partial + buffer.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const request = parse(line);
        if (request) on(request);
      }
    } finally {
      await handle.close();
    }
  };
  const timer = setInterval(() => {
    running = running.then(readNew).catch(() => undefined);
  }, intervalMs);
  timer.unref?.();
  return {
    async drain() {
      running = running.then(readNew).catch(() => undefined);
      await running;
    },
    async stop() {
      clearInterval(timer);
      running = running.then(readNew).catch(() => undefined);
      await running;
    },
  };
}
