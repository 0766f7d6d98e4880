/**
 * The control API on the stub: `GET /_pullstorm/faults` lists, `POST` applies a JSON fault spec,
 * `DELETE /_pullstorm/faults/<id>` clears one, `DELETE /_pullstorm/faults` clears all; with a feed,
 * `GET /_pullstorm/events` follows the stub's events (feed.ts). Every call needs the control token,
 * as `X-Pullstorm-Control-Token: <token>` or `Authorization: Bearer <token>` (the header wins when
 * both are sent). The header exists because kube-apiserver's authentication filter deletes
 * `Authorization` before it proxies (`req.Header.Del("Authorization")` in k8s.io/apiserver's
 * WithAuthentication), so through a Service proxy only a custom header reaches the stub. Without a
 * configured token the API answers 404, so a stub started without one cannot be steered or read
 * from outside. Errors are JSON in the OCI shape (`{"errors":[{"code","message","detail"}]}`)
 * saying what was expected and what was given.
 */
import { Hono } from 'hono';
import { sameSecret } from '../auth/jwt.ts';
import { BodyTooLarge, readTextLimited } from '../body.ts';
import { clip, nestingDepth } from '../bounded.ts';
import type { RegistryContext, RegistryEnv, RegistryMiddleware } from '../context.ts';
import type { EventFeed } from '../feed.ts';
import type { FaultEngine, FaultSpec } from './engine.ts';
import { FaultError } from './errors.ts';

/** Path prefix of the control API. */
export const CONTROL_PATH = '/_pullstorm/faults';
/** Path of the event feed (feed.ts). */
export const EVENTS_PATH = '/_pullstorm/events';
/** The header that carries the control token where `Authorization` cannot (an API server proxy). */
export const CONTROL_TOKEN_HEADER = 'X-Pullstorm-Control-Token';

/** Largest fault spec accepted on POST: 64 KiB (the biggest catalogue spec is well under 1 KiB). */
export const MAX_SPEC_BYTES = 64 * 1024;
/** Deepest nesting of arrays and objects in a fault spec: 16 (the catalogue needs 4). */
export const MAX_SPEC_DEPTH = 16;

/** A JSON error in the OCI shape. */
export function controlError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ errors: [{ code, message }] }, { status, headers });
}
const error = controlError;

/** Undefined when the request carries `token`; else the 401 saying what was expected and given. */
function refusal(c: RegistryContext, token: string): Response | undefined {
  const custom = c.req.header(CONTROL_TOKEN_HEADER);
  const header = c.req.header('Authorization');
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  const given = custom !== undefined ? custom.trim() : bearer;
  if (given !== undefined && given !== '' && sameSecret(given, token)) return undefined;
  const got =
    custom !== undefined
      ? `${CONTROL_TOKEN_HEADER} with a token that does not match`
      : header === undefined
        ? 'neither'
        : bearer === undefined
          ? 'Authorization with another scheme'
          : 'Authorization: Bearer with a token that does not match';
  return error(
    401,
    'UNAUTHORIZED',
    `expected ${CONTROL_TOKEN_HEADER}: <control token> or Authorization: Bearer <control token>, got ${got}`,
    { 'WWW-Authenticate': 'Bearer realm="pullstorm-control"' },
  );
}

function failure(err: unknown): Response {
  if (err instanceof FaultError) return err.getResponse();
  return error(
    500,
    'UNKNOWN',
    `applying or clearing failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

/**
 * The control API for `engine`, and the event feed when `feed` is given; disabled (404) when
 * `token` is undefined or empty.
 */
export function controlApi(
  engine: FaultEngine,
  token: string | undefined,
  feed?: EventFeed,
): RegistryMiddleware {
  return async function controlApi(c) {
    if (token === undefined || token === '') {
      return error(
        404,
        'CONTROL_DISABLED',
        'the control API is disabled: start the registry with a control token (pullstorm serve --control-token <token>)',
      );
    }
    const refused = refusal(c, token);
    if (refused !== undefined) return refused;
    const path = c.req.path.replace(/\/$/, '');
    const method = c.req.method;
    if (path === EVENTS_PATH && feed !== undefined) return feed.handle(c);
    if (path === CONTROL_PATH) {
      if (method === 'GET') return Response.json({ faults: engine.list() });
      if (method === 'DELETE') {
        const ids = engine.list().map((f) => f.id);
        return engine.clearAll().then(() => Response.json({ cleared: ids }), failure);
      }
      if (method !== 'POST')
        return error(405, 'UNSUPPORTED', `${method} is not supported here; allowed: GET, POST, DELETE`, {
          Allow: 'GET, POST, DELETE',
        });
      const spec = await readSpec(c);
      if (spec instanceof Response) return spec;
      try {
        const { id } = await engine.apply(spec);
        return Response.json(
          engine.list().find((f) => f.id === id),
          { status: 201 },
        );
      } catch (err) {
        return failure(err);
      }
    }
    const one = /^\/_pullstorm\/faults\/([^/]+)$/.exec(path);
    if (one !== null) {
      const id = decodedId(one[1]!);
      if (id === undefined)
        return error(
          400,
          'FAULT_INVALID',
          `expected a fault id, percent-encoded as UTF-8, got '${clip(one[1]!, 80)}', which does not decode`,
        );
      if (method === 'GET') {
        const found = engine.list().find((f) => f.id === id);
        return found === undefined
          ? failure(
              new FaultError('FAULT_UNKNOWN', [
                { path: 'id', message: `no applied fault has id '${clip(id, 80)}'` },
              ]),
            )
          : Response.json(found);
      }
      if (method !== 'DELETE')
        return error(405, 'UNSUPPORTED', `${method} is not supported here; allowed: GET, DELETE`, {
          Allow: 'GET, DELETE',
        });
      return engine.clear(id).then(() => Response.json({ cleared: [id] }), failure);
    }
    return error(
      404,
      'NOT_FOUND',
      `no control route matches ${method} ${c.req.path}; expected ${CONTROL_PATH}, ${CONTROL_PATH}/<id>${feed ? ` or ${EVENTS_PATH}` : ''}`,
    );
  };
}

/** The path segment decoded, or undefined when it is not valid percent-encoded UTF-8 (`%zz`). */
function decodedId(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The POSTed spec, or the 400/413 saying what was expected and what was given. */
async function readSpec(c: RegistryContext): Promise<FaultSpec | Response> {
  const expected = 'expected a JSON fault spec { fault, options?, scope?, id? }';
  let text: string;
  try {
    text = await readTextLimited(c.req.raw, MAX_SPEC_BYTES);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    return error(413, 'FAULT_INVALID', `${expected} of at most ${MAX_SPEC_BYTES} bytes, got ${err.message}`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    return error(400, 'FAULT_INVALID', `${expected}, got invalid JSON: ${clip((err as Error).message, 200)}`);
  }
  const depth = nestingDepth(spec, MAX_SPEC_DEPTH);
  if (depth > MAX_SPEC_DEPTH) {
    return error(
      400,
      'FAULT_INVALID',
      `${expected} nested at most ${MAX_SPEC_DEPTH} levels deep, got more than ${MAX_SPEC_DEPTH} levels`,
    );
  }
  return spec as FaultSpec;
}

/**
 * The app of a control listener (`startRegistry({ controlListener })`): `control` under
 * `/_pullstorm/`, and for anything else a 404 pointing at the registry, so a client given the wrong
 * URL learns which one to use.
 */
export function controlOnlyApp(control: RegistryMiddleware, registryUrl: string): Hono<RegistryEnv> {
  const app = new Hono<RegistryEnv>();
  app.all('/_pullstorm/*', control);
  app.all('*', function notControl(c) {
    return error(
      404,
      'NOT_FOUND',
      `this is the registry's control listener: it serves ${CONTROL_PATH} and ${EVENTS_PATH} only; registry requests go to ${registryUrl}, got ${c.req.method} ${c.req.path}`,
    );
  });
  return app;
}
