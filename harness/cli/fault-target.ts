/**
 * Where `pullstorm fault` sends its calls, and which CA it trusts there. A stub started with
 * `--tls` signs its certificate with a CA of its own (the ready line's `caFile`), which no machine
 * trusts by default, so the control URL alone fails with "unable to verify the first certificate".
 * The CA comes, first given first used, from `--ca FILE`, `$PULLSTORM_CA`, or the ready line the
 * user points to with `--ready FILE` (what `pullstorm serve` printed, saved to a file) when `--url`
 * is that stub's `url` or `controlUrl`; `--ready` alone also supplies the URL (its `controlUrl`).
 * A ready file that is missing or empty is waited for (up to `waitMs`, default 30 s), so a stub
 * started in the background (`pullstorm serve … > ready.json &`) can be steered on the next line.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServeReady } from '../../registry-stubs/serve/serve-registry.ts';
import { UsageError } from '../../vocab/errors.ts';

/** The flags and environment that locate a stub. */
export interface FaultTargetInput {
  url?: string | undefined;
  ca?: string | undefined;
  ready?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** How long to wait for a missing or empty ready file; default 30 000 ms. */
  waitMs?: number;
}

/** The control URL, and the PEM of the CA to trust for it (undefined: the system's). */
export interface FaultTarget {
  url: string;
  caPem?: string;
  /** Where the CA came from, for error messages: `--ca x.crt`, `$PULLSTORM_CA`, `--ready r.json`. */
  caFrom?: string;
}

/** Resolves `--url`, `--ca`, `--ready` and their environment defaults into one target. */
export async function faultTarget(input: FaultTargetInput): Promise<FaultTarget> {
  const ready = input.ready === undefined ? undefined : await readReady(input.ready, input.waitMs ?? 30_000);
  const url = input.url ?? input.env.PULLSTORM_URL ?? ready?.controlUrl ?? ready?.url;
  if (url === undefined || !/^https?:\/\/[^/]+/.test(url)) {
    throw new UsageError(
      `--url: expected the stub's URL such as http://127.0.0.1:5000 (or --ready with its ready line), got ${url === undefined ? 'none' : `'${url}'`}`,
    );
  }
  const caFlag = input.ca ?? input.env.PULLSTORM_CA;
  if (caFlag !== undefined && caFlag !== '') {
    const from = input.ca !== undefined ? `--ca ${caFlag}` : '$PULLSTORM_CA';
    return { url, caPem: readCa(caFlag, from), caFrom: from };
  }
  if (ready === undefined || input.ready === undefined) return { url };
  const origins = [ready.url, ready.controlUrl].filter((u): u is string => typeof u === 'string');
  if (!origins.some((u) => sameOrigin(u, url))) {
    throw new UsageError(
      `--ready ${input.ready}: expected the ready line of the stub at ${url}, got one for ${origins.join(' and ')}`,
    );
  }
  if (ready.caFile === null || ready.caFile === undefined) return { url };
  const from = `--ready ${input.ready}`;
  return { url, caPem: readCa(ready.caFile, `${from} (caFile ${ready.caFile})`), caFrom: from };
}

/** The ready line in `file`: the last line that parses as JSON with `ready: true`. */
async function readReady(file: string, waitMs: number): Promise<Partial<ServeReady>> {
  const until = Date.now() + waitMs;
  let text = readText(file, '--ready', "a file holding pullstorm serve's ready line", Date.now() < until);
  // serve prints nothing before its ready line: missing or empty means not ready yet.
  while (text.trim() === '' && Date.now() < until) {
    await sleep(200);
    text = readText(file, '--ready', "a file holding pullstorm serve's ready line", Date.now() < until);
  }
  const lines = text.split('\n').filter((l) => l.trim().startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const parsed = JSON.parse(line) as Partial<ServeReady>;
      if (parsed.ready === true) return parsed;
    } catch {
      // Not the ready line; keep looking.
    }
  }
  throw new UsageError(
    `--ready ${file}: expected pullstorm serve's ready line ({"ready":true,"url":…}), got ${text.trim() === '' ? `an empty file after ${Math.round(waitMs / 1000)}s` : `'${text.trim().slice(0, 80)}'`}`,
  );
}

function readCa(file: string, from: string): string {
  const pem = readText(file, from, 'a PEM CA certificate');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(
      `${from}: expected a PEM CA certificate (-----BEGIN CERTIFICATE-----), got ${file} without one`,
    );
  }
  return pem;
}

/** The file's text; a missing file is '' while `waiting`, else a usage error. */
function readText(file: string, from: string, expected: string, waiting = false): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && waiting) return '';
    throw new UsageError(
      `${from}: expected ${expected}, got ${code === 'ENOENT' ? `no file at ${file}` : `${file} unreadable (${code ?? String(error)})`}`,
    );
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

// Node's codes for a certificate chain it cannot verify (node:tls, OpenSSL's X509_V_ERR_* names).
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_SIGNATURE_FAILURE',
]);

/** A usage error saying how to trust the stub, when `error` is an untrusted certificate; else undefined. */
export function untrustedHint(error: unknown, target: FaultTarget): UsageError | undefined {
  let code: string | undefined;
  for (let e: unknown = error; e instanceof Error && code === undefined; e = e.cause) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c !== undefined && UNTRUSTED.has(c)) code = c;
  }
  if (code === undefined) return undefined;
  const now = target.caFrom === undefined ? 'no CA given' : `the CA from ${target.caFrom}`;
  return new UsageError(
    `${target.url}: the stub's certificate is not trusted (${code}, ${now}); expected the CA that signed it: --ca <tls-dir>/ca.crt, $PULLSTORM_CA, or --ready <file holding serve's ready line>, whose caFile is used`,
  );
}
