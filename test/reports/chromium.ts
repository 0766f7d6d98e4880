/**
 * Opens a page in Debian's headless chromium and drives it over the Chrome DevTools Protocol with
 * Node's built-in WebSocket: console messages, exceptions, network requests, DOM queries, timing
 * and screenshots. Launched per use with its own profile directory and killed by its pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's chromium; browser tests skip when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** True when chromium is installed. */
export const hasChromium = existsSync(CHROMIUM);

/** Something the page logged or threw, or a request it made. */
export interface PageIssue {
  kind: 'console' | 'exception' | 'log' | 'request';
  text: string;
}

/** A page opened in chromium. */
export interface OpenedPage {
  /** Console errors and warnings, uncaught exceptions, browser log errors, and non-file requests. */
  issues: PageIssue[];
  /** Milliseconds from navigation start to the second animation frame after load. */
  renderMs: number;
  /** Evaluates `expression` in the page and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the viewport (or the whole page up to `maxHeight` when `fullPage`). */
  screenshot(options?: { fullPage?: boolean; maxHeight?: number; y?: number }): Promise<Buffer>;
  close(): Promise<void>;
}

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
};

function waitForEndpoint(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${stderr}`)), 30_000);
    proc.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`chromium exited with ${code}:\n${stderr}`)));
  });
}

/** Opens `url` (a file:// URL) at `width`×`height` and waits until it has rendered. */
export async function openPage(url: string, width = 1400, height = 2000): Promise<OpenedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'pullstorm-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    `--window-size=${width},${height}`,
    'about:blank',
  ];
  const proc = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ws = new WebSocket(await waitForEndpoint(proc));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  const listeners: ((m: Message) => void)[] = [];
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as Message;
    if (m.id !== undefined) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error.message));
      else p?.resolve(m.result ?? {});
    } else for (const l of listeners) l(m);
  };
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });

  const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
  const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as {
    sessionId: string;
  };
  const call = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
  const issues: PageIssue[] = [];
  let loaded: () => void = () => {};
  const load = new Promise<void>((r) => (loaded = r));
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    const p = m.params ?? {};
    if (m.method === 'Page.loadEventFired') loaded();
    if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'warning'))
      issues.push({ kind: 'console', text: JSON.stringify(p.args) });
    if (m.method === 'Runtime.exceptionThrown')
      issues.push({ kind: 'exception', text: JSON.stringify(p.exceptionDetails) });
    const entry = p.entry as { level?: string; text?: string } | undefined;
    if (m.method === 'Log.entryAdded' && entry?.level === 'error')
      issues.push({ kind: 'log', text: entry.text ?? '' });
    const request = p.request as { url?: string } | undefined;
    if (m.method === 'Network.requestWillBeSent' && request?.url && !/^(file|data|about):/.test(request.url))
      issues.push({ kind: 'request', text: request.url });
  });
  for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await call(`${domain}.enable`);
  await call('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });

  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = (await call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value: T };
      exceptionDetails?: unknown;
    };
    if (r.exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  };
  const t0 = performance.now();
  await call('Page.navigate', { url });
  await load;
  await evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const renderMs = performance.now() - t0;

  return {
    issues,
    renderMs,
    evaluate,
    async screenshot({ fullPage = false, maxHeight = 8000, y = 0 } = {}) {
      const h = fullPage
        ? Math.min(maxHeight, await evaluate<number>('document.documentElement.scrollHeight'))
        : height;
      const clip = { x: 0, y, width, height: h, scale: 1 };
      const r = (await call('Page.captureScreenshot', {
        format: 'png',
        clip,
        captureBeyondViewport: fullPage || y > 0,
      })) as { data: string };
      return Buffer.from(r.data, 'base64');
    },
    async close() {
      ws.close();
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode === null ? proc.once('exit', r) : r(null)));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
