/**
 * An external mirror: the user's own (Harbor proxy project, Artifactory, Zot, a Spegel or
 * Dragonfly endpoint). The harness never starts or stops it; it writes the nodes' hosts.toml entry
 * for it (its URL, CA or skip_verify, and credentials as a static `Authorization: Basic` header, the
 * one way hosts.toml carries credentials) and checks before provisioning that it answers at all.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import type { ExternalMirror } from '../scenario/resolved.ts';

/** What a node's hosts.toml entry for an external mirror carries besides its URL. */
export interface ExternalHostSettings {
  /** CA file path (containerd reads it) and its PEM (virtual nodes have no disk). */
  ca?: { file: string; pem: string };
  skipVerify?: boolean;
  overridePath?: boolean;
  header?: Record<string, string>;
}

/** The password of `login`, from the scenario or the environment; undefined when the variable is unset. */
export function loginPassword(
  login: NonNullable<ExternalMirror['login']>,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return login.passwordEnv === undefined ? login.password : env[login.passwordEnv];
}

/** The settings of `mirror`'s hosts.toml entry; reads its CA file. */
export async function externalHostSettings(
  mirror: ExternalMirror,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExternalHostSettings> {
  const password = mirror.login ? loginPassword(mirror.login, env) : undefined;
  const basic =
    mirror.login && password !== undefined
      ? Buffer.from(`${mirror.login.username}:${password}`).toString('base64')
      : undefined;
  return {
    ...(mirror.ca ? { ca: { file: mirror.ca, pem: await readFile(mirror.ca, 'utf8') } } : {}),
    ...(mirror.skipVerify ? { skipVerify: true } : {}),
    ...(mirror.overridePath ? { overridePath: true } : {}),
    ...(basic ? { header: { Authorization: `Basic ${basic}` } } : {}),
  };
}

/** `GET <origin of url>/v2/`: resolves with the status, or rejects with why it could not ask. */
function getV2(mirror: ExternalMirror, ca: string | undefined, timeoutMs: number): Promise<number> {
  const url = new URL('/v2/', mirror.url);
  const tls = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const options = tls ? { rejectUnauthorized: !mirror.skipVerify, ...(ca ? { ca } : {}) } : {};
    const req = (tls ? httpsRequest : httpRequest)(
      url,
      { method: 'GET', timeout: timeoutMs, ...options },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Why the external mirror `name` cannot be used from this machine now (one line per reason), or
 * an empty list: the password variable is unset, the CA file is unreadable, the upstream door's
 * port cannot be bound, or `GET /v2/` gets no HTTP answer (any status counts: 401 is how an
 * authenticating registry answers it; not asked over https when the CA file is unreadable).
 */
export async function externalMirrorProblems(
  name: string,
  mirror: ExternalMirror,
  o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string[]> {
  const env = o.env ?? process.env;
  const problems: string[] = [];
  if (mirror.login?.passwordEnv !== undefined && env[mirror.login.passwordEnv] === undefined) {
    problems.push(
      `external mirror ${name}: its password is read from $${mirror.login.passwordEnv}, which is not set; export it before the run`,
    );
  }
  let ca: string | undefined;
  let caUnreadable = false;
  if (mirror.ca) {
    try {
      ca = await readFile(mirror.ca, 'utf8');
    } catch (error) {
      caUnreadable = true;
      problems.push(
        `external mirror ${name}: cannot read its CA file ${mirror.ca}: ${(error as Error).message}`,
      );
    }
  }
  if (mirror.upstream) {
    const bind = await canListen(mirror.upstream.host, mirror.upstream.port);
    if (bind !== true) {
      problems.push(
        `external mirror ${name}: the run cannot open its upstream door on ${mirror.upstream.host}:${mirror.upstream.port} (${bind}); expected an address of this machine with that port free`,
      );
    }
  }
  // Over https, asking without the CA the nodes will trust proves nothing: its line above says why.
  if (caUnreadable && new URL(mirror.url).protocol === 'https:') return problems;
  const timeoutMs = o.timeoutMs ?? 5_000;
  try {
    await getV2(mirror, ca, timeoutMs);
  } catch (error) {
    const e = error as Error;
    problems.push(
      `external mirror ${name}: ${new URL('/v2/', mirror.url).href} did not answer (${e.message}); expected a registry answering GET /v2/ with any HTTP status: start it, or fix its url`,
    );
  }
  return problems;
}

/** Whether a listener can bind `host:port` now (closed again at once), or the error's message. */
function canListen(host: string, port: number): Promise<true | string> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', (error) => resolve(error.message));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
