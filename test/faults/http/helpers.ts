/**
 * A started registry driven in-process (`registry.app.request`, no socket) with a fake clock,
 * client addresses from an `x-client` header, and every request and fault event recorded.
 */
import type { FaultEvent } from '../../../registry-stubs/faults/engine.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import {
  type RegistryRequestEvent,
  type RunningRegistry,
  type StartRegistryOptions,
  startRegistry,
} from '../../../registry-stubs/index.ts';
import type { ImageBundle } from '../../../registry-stubs/oci/types.ts';

/** The fixtures most tests use: tiny (a manifest) and multiarch (an index). */
export const images: ImageBundle[] = fixtureImages({ include: ['tiny', 'multiarch'] });
/** pullstorm/tiny:1.0. */
export const tiny = images[0]!;

/** The manifest Accept header containerd sends. */
export const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** A registry under test. */
export interface Stub extends AsyncDisposable {
  registry: RunningRegistry;
  /** The registry's clock in ms; advance it instead of waiting. */
  clock: { now: number };
  requests: RegistryRequestEvent[];
  events: FaultEvent[];
  /** `app.request` with the body read (so the request event fires); `client` sets the address. */
  call(
    path: string,
    init?: RequestInit & { client?: string },
  ): Promise<{ res: Response; body: Uint8Array; text: string }>;
}

/** Starts a registry with the fixtures and the given options. */
export async function stub(options: StartRegistryOptions = {}): Promise<Stub> {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const requests: RegistryRequestEvent[] = [];
  const events: FaultEvent[] = [];
  const registry = await startRegistry({
    images,
    now: () => clock.now,
    clientAddress: (c) => c.req.header('x-client') ?? '10.0.0.1',
    onRequest: (e) => requests.push(e),
    onFaultEvent: (e) => events.push(e),
    ...options,
  });
  return {
    registry,
    clock,
    requests,
    events,
    async call(path, init = {}) {
      const { client, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (client !== undefined) headers.set('x-client', client);
      if (path.includes('/manifests/') && !headers.has('Accept')) headers.set('Accept', ACCEPT);
      const res = await registry.app.request(path, { ...rest, headers });
      const body = new Uint8Array(await res.arrayBuffer());
      return { res, body, text: new TextDecoder().decode(body) };
    },
    [Symbol.asyncDispose]: () => registry.close(),
  };
}

/** The first OCI error of a body. */
export function ociError(text: string): { code: string; message: string; detail?: unknown } | undefined {
  return (JSON.parse(text) as { errors?: { code: string; message: string; detail?: unknown }[] }).errors?.[0];
}

/** `Authorization: Basic` for a user. */
export const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

/** Token auth with user ci/pw (every action everywhere) and anonymous pulls of everything. */
export const tokenAuth = {
  mode: 'token' as const,
  users: [
    {
      username: 'ci',
      password: 'pw',
      access: [{ repository: '*', actions: ['pull' as const, 'push' as const] }],
    },
  ],
  anonymous: [{ repository: '*', actions: ['pull' as const] }],
};

/** A token from the stub's token endpoint for `scope`, anonymous unless `authorization` is given. */
export async function token(s: Stub, scope: string, authorization?: string): Promise<string> {
  const { res, text } = await s.call(`/token?service=pullstorm&scope=${encodeURIComponent(scope)}`, {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { token: string }).token;
}
