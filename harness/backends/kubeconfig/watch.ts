/**
 * List-then-watch, as client-go's Reflector does it: list to get every object and a resourceVersion,
 * watch from that version (with bookmarks, so the version keeps moving on a quiet stream), and:
 * - a watch that ends cleanly (the server's timeout) is reopened at once from the last version;
 * - `410 Gone` (as an HTTP status or an ERROR event carrying a Status of code 410: the version was
 *   compacted away) means relist, delivering every object again (`relist: true`) so callers that
 *   de-duplicate see only what changed;
 * - any other failure is retried from the last version after an exponential backoff (500 ms doubling
 *   to 30 s, reset once the watch delivers something), so an API server restart is ridden out.
 *
 * Before the first sync it is stricter, because a caller is waiting on `synced` and a retry loop
 * there is a silent hang: a first list or first watch the cluster refuses (401, 403, 404: RBAC, an
 * expired token, a missing resource) rejects `synced` at once with a KubeRefusedError that names the
 * call, and other failures are retried only until `syncTimeoutMs`, then `synced` rejects with the
 * last one. Every failure is told to `onError` before its retry.
 */
import { explainKubeError, isPermanent } from './errors.ts';

/** One watch event as the API server sends it. */
export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Where objects come from; see `clientNodeSource` (api.ts) for the real one. */
export interface ListWatchSource<T> {
  /** A full list and its resourceVersion. */
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  /**
   * Opens a watch from `resourceVersion`; `onEvent` per event; `onDone` once when it ends (`null`
   * for a clean end). Resolves with a way to close it.
   */
  watch(
    resourceVersion: string,
    onEvent: (type: WatchType, object: unknown) => void,
    onDone: (error: unknown) => void,
  ): Promise<{ abort(): void }>;
}

/** Options of `reflect`. */
export interface ReflectOptions {
  /** First retry delay; default 500 ms. */
  initialBackoffMs?: number;
  /** Longest retry delay; default 30 000 ms. */
  maxBackoffMs?: number;
  /** Sleeps; default setTimeout (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Told about each failure before its retry; default silent. */
  onError?: (error: unknown, retryInMs: number) => void;
  /** What is listed, for error messages, e.g. `pods in namespace x`; default `objects`. */
  what?: string;
  /** How long the first list and watch may keep failing before `synced` rejects; default 60 000 ms. */
  syncTimeoutMs?: number;
}

/** A running reflector. */
export interface Reflector {
  /**
   * Resolves after the first list was delivered and the first watch opened; rejects when the
   * cluster refuses either (KubeRefusedError) or they keep failing past `syncTimeoutMs`.
   */
  synced: Promise<void>;
  /** Stops watching; idempotent. */
  stop(): void;
}

interface Versioned {
  metadata?: { resourceVersion?: string };
}

/** Whether `error` (an HTTP error or an ERROR event's Status) says the version is gone. */
export function isGone(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: number; body?: { code?: number } } | null;
  return e?.statusCode === 410 || e?.code === 410 || e?.body?.code === 410;
}

/**
 * Whether `error` is client-node's inactivity timeout (30 s without a byte): a quiet stream, not a
 * failure, so it is reopened at once. Real sources also ask the server to close first (timeoutSeconds).
 */
function isTimeout(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'TimeoutError';
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lists and watches `source`, calling `deliver` for every object change until `stop()`. */
export function reflect<T>(
  source: ListWatchSource<T>,
  deliver: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T, relist: boolean) => void,
  options: ReflectOptions = {},
): Reflector {
  const initial = options.initialBackoffMs ?? 500;
  const max = options.maxBackoffMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  let stopped = false;
  let current: { abort(): void } | undefined;
  let backoff = initial;
  const what = options.what ?? 'objects';
  const syncDeadline = Date.now() + (options.syncTimeoutMs ?? 60_000);
  let isSynced = false;
  let markSynced: () => void = () => undefined;
  let failSync: (error: unknown) => void = () => undefined;
  const synced = new Promise<void>((resolve, reject) => {
    markSynced = () => {
      isSynced = true;
      resolve();
    };
    failSync = reject;
  });
  // A caller that stopped before sync never reads the rejection; do not let it go unhandled.
  synced.catch(() => undefined);

  /** Before the first sync: whether `error` ends the reflector (refused, or out of time). */
  const fatalBeforeSync = (verb: string, error: unknown): boolean => {
    if (isSynced) return false;
    if (isPermanent(error)) {
      stopped = true;
      failSync(explainKubeError(`${verb} ${what}`, error));
      return true;
    }
    if (Date.now() >= syncDeadline) {
      stopped = true;
      failSync(
        new Error(`${verb} ${what}: still failing after ${options.syncTimeoutMs ?? 60_000} ms`, {
          cause: error,
        }),
      );
      return true;
    }
    return false;
  };

  const retry = async (error: unknown) => {
    options.onError?.(error, backoff);
    await sleep(backoff);
    backoff = Math.min(max, backoff * 2);
  };

  /**
   * One watch; resolves 'relist' on 410, 'again' otherwise. Only its first ending counts. The first
   * watch after a list marks the reflector synced once it opens (its handle arrives before an end).
   */
  const watchOnce = (rv: { value: string }) =>
    new Promise<'relist' | 'again'>((resolve) => {
      let ended = false;
      let delivered = false;
      const opened = Date.now();
      const end = (error: unknown) => {
        if (ended) return;
        ended = true;
        current?.abort();
        const clean = !error || isTimeout(error);
        if (stopped) resolve('again');
        else if (!clean && fatalBeforeSync('watch', error)) {
          options.onError?.(error, 0);
          resolve('again');
        } else if (isGone(error)) resolve('relist');
        // A stream that closes at once with nothing in it would otherwise spin.
        else if (clean && (delivered || Date.now() - opened >= 1_000)) resolve('again');
        else void retry(error ?? new Error('watch closed at once')).then(() => resolve('again'));
      };
      const onEvent = (type: WatchType, object: unknown) => {
        if (stopped || ended) return;
        // An ERROR event carries a Status; the stream is useless after it.
        if (type === 'ERROR') return end(object ?? new Error('watch ERROR event'));
        backoff = initial;
        delivered = true;
        const version = (object as Versioned)?.metadata?.resourceVersion;
        if (version) rv.value = version;
        if (type !== 'BOOKMARK') deliver(type, object as T, false);
      };
      source.watch(rv.value, onEvent, end).then(
        (handle) => {
          current = handle;
          if (stopped || ended) handle.abort();
          else markSynced();
        },
        (error) => end(error ?? new Error('watch failed')),
      );
    });

  const run = async () => {
    while (!stopped) {
      let listed: { items: T[]; resourceVersion: string };
      try {
        listed = await source.list();
      } catch (error) {
        if (stopped) return;
        if (fatalBeforeSync('list', error)) {
          options.onError?.(error, 0);
          return;
        }
        await retry(error);
        continue;
      }
      if (stopped) return;
      for (const item of listed.items) deliver('ADDED', item, true);
      const rv = { value: listed.resourceVersion };
      while (!stopped && (await watchOnce(rv)) === 'again') {
        // reopened from rv.value
      }
    }
  };
  void run();

  return {
    synced,
    stop() {
      stopped = true;
      current?.abort();
      if (!isSynced) markSynced();
    },
  };
}
