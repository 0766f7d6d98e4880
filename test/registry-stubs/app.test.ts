import { describe, expect, test } from 'vitest';
import { createRegistryApp } from '../../registry-stubs/app.ts';
import type { RegistryMiddleware, RegistryVariables } from '../../registry-stubs/context.ts';
import { errorStatus, RegistryError } from '../../registry-stubs/errors.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/events.ts';
import { blob, errorCode, pushBlob, pushImage } from './helpers.ts';

/** Bindings shaped like @hono/node-server's, so the client address is known in-process. */
const fromClient = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

describe('errors', () => {
  test.each(Object.entries(errorStatus))(
    '%s renders with status %i and the OCI body',
    async (code, status) => {
      const err = new RegistryError(code as keyof typeof errorStatus, 'expected x, got y', {
        detail: { x: 1 },
      });
      const res = err.getResponse();
      expect(res.status).toBe(status);
      expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({
        errors: [{ code, message: 'expected x, got y', detail: { x: 1 } }],
      });
    },
  );

  test('status and headers can be overridden; HEAD renders without a body', async () => {
    const err = new RegistryError('TOOMANYREQUESTS', 'slow down', { headers: { 'Retry-After': '7' } });
    const res = err.getResponse(true);
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('7');
    expect(await res.text()).toBe('');
  });

  test('unknown routes are 404 with a JSON error; HEAD has no body', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v3/whatever');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      errors: [{ code: 'UNSUPPORTED', message: 'no registry route matches GET /v3/whatever' }],
    });
    const head = await app.request('/nope', { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });

  test('a method a route lacks is 405 UNSUPPORTED with Allow', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/tags/list', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, HEAD');
    expect(await errorCode(res)).toBe('UNSUPPORTED');
  });

  test.each(['/v2/UPPER/tags/list', '/v2/a__-b/manifests/v1', `/v2/${'a'.repeat(256)}/tags/list`])(
    'an invalid name in %s is NAME_INVALID',
    async (path) => {
      const res = await createRegistryApp().request(path);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe('NAME_INVALID');
    },
  );

  test('GET /v2/ answers {} with the API version header', async () => {
    const res = await createRegistryApp().request('/v2/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Docker-Distribution-API-Version')).toBe('registry/2.0');
    expect(await res.json()).toEqual({});
  });
});

describe('request events', () => {
  test('one event per request with route, names, status, bytes and client (IPv4-mapped unwrapped)', async () => {
    const events: RegistryRequestEvent[] = [];
    const app = createRegistryApp({ onRequest: (e) => events.push(e) });
    const content = blob('x'.repeat(1000));
    await (await pushBlob(app, 'team/app', content)).text();
    const res = await app.request(`/v2/team/app/blobs/${content.digest}`, {}, fromClient('::ffff:10.1.2.3'));
    await res.arrayBuffer();
    await app.request(`/v2/team/app/blobs/${content.digest}`, { method: 'HEAD' });
    expect(events).toHaveLength(3);
    expect(events[1]).toMatchObject({
      kind: 'registry.request',
      method: 'GET',
      path: `/v2/team/app/blobs/${content.digest}`,
      route: 'blob',
      repository: 'team/app',
      reference: content.digest,
      status: 200,
      bytes: 1000,
      client: '10.1.2.3',
    });
    expect(events[1]).not.toHaveProperty('aborted');
    expect(Date.parse(events[1]!.time)).not.toBeNaN();
    expect(events[2]).toMatchObject({ method: 'HEAD', status: 200, bytes: 0 });
    expect(events[0]).toMatchObject({ method: 'POST', route: 'upload', status: 201 });
  });

  test('a download the client abandons is reported with the bytes sent and aborted', async () => {
    const events: RegistryRequestEvent[] = [];
    const app = createRegistryApp({ onRequest: (e) => events.push(e) });
    const big = blob(new Uint8Array(3 * 1024 * 1024 + 5));
    await pushBlob(app, 'a', big);
    const res = await app.request(`/v2/a/blobs/${big.digest}`);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    const event = events.find((e) => e.route === 'blob')!;
    expect(event.aborted).toBe(true);
    expect(event.bytes).toBeGreaterThan(0);
    expect(event.bytes).toBeLessThan(big.bytes.byteLength);
  });

  test('a throwing listener does not break serving', async () => {
    const app = createRegistryApp({
      onRequest: () => {
        throw new Error('observer bug');
      },
    });
    const res = await app.request('/v2/');
    expect(await res.json()).toEqual({});
  });
});

describe('layers', () => {
  test('see the classification and principal, and run before auth', async () => {
    const seen: Partial<RegistryVariables>[] = [];
    const spy: RegistryMiddleware = async function spy(c, next) {
      seen.push({
        route: c.get('route'),
        repository: c.get('repository'),
        reference: c.get('reference'),
        client: c.get('client'),
        user: c.get('user'),
      });
      await next();
    };
    const app = createRegistryApp({
      layers: [spy],
      auth: { mode: 'basic', users: [{ username: 'u', password: 'p' }] },
    });
    const res = await app.request('/v2/team/app/manifests/v1', {}, fromClient('192.0.2.9'));
    expect(res.status).toBe(401);
    expect(seen).toEqual([
      { route: 'manifest', repository: 'team/app', reference: 'v1', client: '192.0.2.9', user: undefined },
    ]);
  });

  test('can answer instead of the registry by throwing a RegistryError', async () => {
    const events: RegistryRequestEvent[] = [];
    const rateLimit: RegistryMiddleware = async function rateLimit(c, next) {
      if (c.get('route') === 'manifest') {
        throw new RegistryError('TOOMANYREQUESTS', 'pull rate limit reached', {
          headers: { 'Retry-After': '30' },
        });
      }
      await next();
    };
    const app = createRegistryApp({ layers: [rateLimit], onRequest: (e) => events.push(e) });
    const res = await app.request('/v2/a/manifests/v1');
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('30');
    expect(res.headers.get('Docker-Distribution-API-Version')).toBe('registry/2.0');
    expect(await errorCode(res)).toBe('TOOMANYREQUESTS');
    expect(events[0]).toMatchObject({ route: 'manifest', status: 429 });
  });

  test('can rewrite a response body, and events count what was really sent', async () => {
    const events: RegistryRequestEvent[] = [];
    const truncate: RegistryMiddleware = async function truncate(c, next) {
      await next();
      if (c.get('route') !== 'blob' || c.res.body === null) return;
      const bytes = new Uint8Array(await c.res.arrayBuffer()).subarray(0, 3);
      c.res = new Response(bytes, { status: c.res.status, headers: c.res.headers });
    };
    const app = createRegistryApp({ layers: [truncate], onRequest: (e) => events.push(e) });
    const { layer } = await pushImage(app, 'a', 'v1');
    const res = await app.request(`/v2/a/blobs/${layer.digest}`);
    expect((await res.arrayBuffer()).byteLength).toBe(3);
    expect(events.find((e) => e.route === 'blob')?.bytes).toBe(3);
  });

  test('an unexpected exception becomes 500 UNKNOWN with a JSON body', async () => {
    const broken: RegistryMiddleware = async function broken() {
      throw new Error('layer exploded');
    };
    const res = await createRegistryApp({ layers: [broken] }).request('/v2/');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      errors: [{ code: 'UNKNOWN', message: 'internal error: layer exploded' }],
    });
  });
});
