/**
 * Shared set-up for virtual node tests: fixture images (with a small `large`), a registry stub on
 * loopback, and observation through the stub's own hooks (`onRequest` for finished requests, a
 * layer middleware for requests in flight), so nothing is mocked.
 */
import type { Socket } from 'node:net';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import type { RegistryMiddleware, RegistryRequestEvent } from '../../../registry-stubs/index.ts';
import type { ImageBundle } from '../../../registry-stubs/oci/types.ts';

/** All fixtures, `pullstorm/large` at 256 KiB in 4 layers so tests stay fast. */
export const images: ImageBundle[] = fixtureImages({ largeSizeBytes: 256 * 1024 });

/** The fixture bundle named `pullstorm/<name>`. */
export function bundle(name: string): ImageBundle {
  const found = images.find((b) => b.repository === `pullstorm/${name}`);
  if (found === undefined) throw new Error(`no fixture ${name}`);
  return found;
}

/** Collects the stub's request events. */
export function recorder(): { events: RegistryRequestEvent[]; onRequest: (e: RegistryRequestEvent) => void } {
  const events: RegistryRequestEvent[] = [];
  return { events, onRequest: (e) => void events.push(e) };
}

/** A layer counting blob GETs in flight (released when the stub reports the request finished). */
export function blobConcurrency(delayMs: number): {
  layer: RegistryMiddleware;
  onRequest: (e: RegistryRequestEvent) => void;
  max: () => number;
} {
  let active = 0;
  let max = 0;
  const layer: RegistryMiddleware = async function countBlobs(c, next) {
    if (c.get('route') === 'blob' && c.req.method === 'GET') {
      active++;
      max = Math.max(max, active);
      // Slow blobs so downloads overlap whenever the client allows it.
      await new Promise((r) => setTimeout(r, delayMs));
    }
    await next();
  };
  const onRequest = (e: RegistryRequestEvent) => {
    if (e.route === 'blob' && e.method === 'GET') active--;
  };
  return { layer, onRequest, max: () => max };
}

interface Json {
  manifests?: { digest: string; size: number; platform?: { architecture: string } }[];
  config: { digest: string; size: number };
  layers: { digest: string; size: number }[];
}

/** What a node of `architecture` should end up with from a fixture: manifest, config, layers, CRI size. */
export function expected(b: ImageBundle, architecture = 'amd64') {
  const content = (digest: string | undefined) => b.manifests.find((m) => m.digest === digest);
  const json = (digest: string | undefined): Json =>
    JSON.parse(new TextDecoder().decode(content(digest)!.bytes));
  const index = json(b.root.digest).manifests;
  const manifest = index?.find((m) => m.platform?.architecture === architecture)?.digest ?? b.root.digest;
  const { config, layers } = json(manifest);
  const tree = [b.root.size, index === undefined ? 0 : content(manifest)!.bytes.byteLength, config.size];
  const size = [...tree, ...layers.map((l) => l.size)].reduce((a, n) => a + n, 0);
  return { manifest, config: config.digest, layers: layers.map((l) => l.digest), size };
}

/** The Node socket under a stub request (absent in `app.request()`). */
function socketOf(c: Parameters<RegistryMiddleware>[0]): Socket | undefined {
  return (c.env as { incoming?: { socket?: Socket } } | undefined)?.incoming?.socket;
}

/**
 * A layer that sends the first half of every blob body under the full Content-Length, then ends
 * the connection: `destroy` closes it cleanly (FIN), `reset` sends a TCP RST.
 */
export function cutBlobs(how: 'destroy' | 'reset'): RegistryMiddleware {
  return async function cutBlob(c, next) {
    await next();
    if (c.get('route') !== 'blob' || c.req.method !== 'GET' || c.res.body === null) return;
    const bytes = new Uint8Array(await c.res.arrayBuffer());
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    const socket = socketOf(c);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (half.length > 0) controller.enqueue(half);
      },
      pull() {
        setTimeout(() => (how === 'reset' ? socket?.resetAndDestroy() : socket?.destroy()), 20);
        return new Promise<void>(() => undefined);
      },
    });
    c.res = new Response(body, { status: c.res.status, headers: c.res.headers });
  };
}

/** A layer flipping the first byte of every blob body (same length, wrong digest). */
export const corruptBlobs: RegistryMiddleware = async function corruptBlob(c, next) {
  await next();
  if (c.get('route') !== 'blob' || c.req.method !== 'GET' || c.res.body === null) return;
  const bytes = new Uint8Array(await c.res.arrayBuffer());
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  c.res = new Response(bytes, { status: c.res.status, headers: c.res.headers });
};

/** A layer answering `status` (with an OCI error body) to requests of `route` and `method`. */
export function answer(
  route: string,
  method: string,
  status: number,
  code = 'UNKNOWN',
  message = '',
): RegistryMiddleware {
  return async function fixedAnswer(c, next) {
    if (c.get('route') !== route || c.req.method !== method) return next();
    return c.json({ errors: [{ code, message }] }, status as 429);
  };
}
