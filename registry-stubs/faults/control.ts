/**
 * The control API on the stub: `GET /_pullstorm/faults` lists, `POST` applies a JSON fault spec,
 * `DELETE /_pullstorm/faults/<id>` clears one, `DELETE /_pullstorm/faults` clears all. Every call
 * needs `Authorization: Bearer <control token>`; without a configured token the API answers 404,
 * so a stub started without one cannot be steered from outside. Errors are JSON in the OCI shape
 * (`{"errors":[{"code","message","detail"}]}`) saying what was expected and what was given.
 */
import { sameSecret } from '../auth/jwt.ts';
import type { RegistryMiddleware } from '../context.ts';
import type { FaultEngine, FaultSpec } from './engine.ts';
import { FaultError } from './errors.ts';

/** Path prefix of the control API. */
export const CONTROL_PATH = '/_pullstorm/faults';

function error(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ errors: [{ code, message }] }, { status, headers });
}

function failure(err: unknown): Response {
  if (err instanceof FaultError) return err.getResponse();
  return error(
    500,
    'UNKNOWN',
    `applying or clearing failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

/** The control API for `engine`; disabled (404) when `token` is undefined or empty. */
export function controlApi(engine: FaultEngine, token: string | undefined): RegistryMiddleware {
  return async function controlApi(c) {
    if (token === undefined || token === '') {
      return error(
        404,
        'CONTROL_DISABLED',
        'the control API is disabled: start the registry with a control token (pullstorm serve --control-token <token>)',
      );
    }
    const header = c.req.header('Authorization');
    const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (given === undefined || !sameSecret(given, token)) {
      const got =
        header === undefined
          ? 'none'
          : given === undefined
            ? 'another scheme'
            : 'a token that does not match';
      return error(401, 'UNAUTHORIZED', `expected Authorization: Bearer <control token>, got ${got}`, {
        'WWW-Authenticate': 'Bearer realm="pullstorm-control"',
      });
    }
    const path = c.req.path.replace(/\/$/, '');
    const method = c.req.method;
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
      let spec: FaultSpec;
      try {
        spec = JSON.parse(await c.req.text()) as FaultSpec;
      } catch (err) {
        return error(
          400,
          'FAULT_INVALID',
          `expected a JSON fault spec { fault, options?, scope?, id? }, got invalid JSON: ${(err as Error).message}`,
        );
      }
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
      const id = decodeURIComponent(one[1]!);
      if (method === 'GET') {
        const found = engine.list().find((f) => f.id === id);
        return found === undefined
          ? failure(
              new FaultError('FAULT_UNKNOWN', [{ path: 'id', message: `no applied fault has id '${id}'` }]),
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
      `no control route matches ${method} ${c.req.path}; expected ${CONTROL_PATH} or ${CONTROL_PATH}/<id>`,
    );
  };
}
