/**
 * One PullImage, as the CRI plugin and containerd's client run it (pkg/cri/server/image_pull.go,
 * client/pull.go, images/handlers.go, pkg/unpack/unpacker.go in 1.7): normalise the reference,
 * resolve it, fetch the index and pick this node's manifest, fetch the manifest, then the config,
 * then the layers at most `maxConcurrentDownloads` at a time. Content already held is not fetched
 * again. Resolve and fetch each get their own authorizer, as 1.7 builds one per resolver base.
 * Every failure becomes a CriError carrying containerd's text and code.
 */

import { goQuote } from '../../kubelet/gofmt.ts';
import type { AuthConfig } from '../../kubelet/image-service.ts';
import { parseNormalizedNamed } from '../../kubelet/reference.ts';
import { parseAuth } from './auth-parse.ts';
import { Authorizer } from './authorizer.ts';
import { type Copied, Fetcher } from './fetch.ts';
import { asGoError, GoError, toCriError } from './go-error.ts';
import { registryHosts, type VirtualHostsConfig } from './hosts.ts';
import { chooseManifest, type Platform } from './platforms.ts';
import { type Descriptor, type ResolveTarget, resolve } from './resolve.ts';
import { openSession, type SessionOptions } from './session.ts';
import type { VirtualStore } from './store.ts';
import { readText } from './transport.ts';

/** What a pull takes from its node. */
export interface PullContext {
  store: VirtualStore;
  platform: Platform;
  hosts: Record<string, VirtualHostsConfig> | undefined;
  /** Node-wide credentials per registry host (the CRI's `registry.configs.<host>.auth`). */
  credentials: Record<string, AuthConfig> | undefined;
  maxConcurrentDownloads: number;
  keepContent: boolean;
  /** Fetches in flight on this node, so two pulls never fetch the same digest at once. */
  inflight: Map<string, Promise<unknown>>;
  session: SessionOptions;
}

/** A successful pull: the CRI answer plus what the harness measures. */
export interface PullOutcome {
  /** What PullImage returns: the image id, `sha256:<config digest>`. */
  imageRef: string;
  /** Digest the reference resolved to (the index for a multi-arch image), as in repo digests. */
  digest: string;
  /** The platform manifest this node chose. */
  manifestDigest: string;
  /** Image size as the CRI reports it: every descriptor of the tree for this platform. */
  size: number;
  /** Content bytes received over the network by this pull (0 when everything was present). */
  bytes: number;
}

const indexTypes = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

function toTarget(image: string): ResolveTarget {
  const parsed = parseNormalizedNamed(image);
  if (typeof parsed === 'string')
    throw new GoError(`failed to parse image reference ${goQuote(image)}: ${parsed}`);
  const slash = parsed.repository.indexOf('/');
  const tag = parsed.digest === '' ? parsed.tag || 'latest' : '';
  const ref = tag === '' ? `${parsed.repository}@${parsed.digest}` : `${parsed.repository}:${tag}`;
  return {
    ref,
    namespace: parsed.repository.slice(0, slash),
    repository: parsed.repository.slice(slash + 1),
    tag,
    digest: parsed.digest,
  };
}

function children(desc: Descriptor, data: Buffer): Descriptor[] {
  const body = JSON.parse(data.toString('utf8')) as {
    manifests?: Descriptor[];
    config?: Descriptor;
    layers?: Descriptor[];
  };
  if (indexTypes.has(desc.mediaType)) return body.manifests ?? [];
  return [...(body.config === undefined ? [] : [body.config]), ...(body.layers ?? [])];
}

/** Runs `tasks` at most `limit` at a time; the first failure cancels the rest (errgroup) and is thrown. */
async function limited(limit: number, tasks: (() => Promise<void>)[], cancel: () => void): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    for (let i = next++; i < tasks.length && failure === undefined; i = next++) {
      await tasks[i]!().catch((e) => {
        failure ??= e;
        cancel();
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure !== undefined) throw failure;
}

/** Pulls `image` on a node; rejects with a CriError as containerd's CRI plugin would. */
export async function pullImage(
  image: string,
  auth: AuthConfig | undefined,
  ctx: PullContext,
): Promise<PullOutcome> {
  let received = 0;
  const session = openSession(ctx.session);
  let ref = image;
  try {
    const target = toTarget(image);
    ref = target.ref;
    const hosts = registryHosts(target.namespace, ctx.hosts);
    const authorizer = () =>
      new Authorizer({
        credentials: (host) => parseAuth(auth ?? ctx.credentials?.[host], host),
        send: async (method, url, headers, body) => {
          const request = {
            method,
            url,
            headers: { ...session.headers, ...headers },
            signal: session.signal,
          };
          // The realm is asked with the client (TLS settings) of the host that challenged, usually itself.
          const via = hosts.find((h) => h.host === url.host) ?? hosts[hosts.length - 1]!;
          const response = await session
            .transport(via)
            .send(body === undefined ? request : { ...request, body });
          return { response, text: await readText(response, session.signal, 1 << 20) };
        },
        scope: `repository:${target.repository}:pull`,
        now: Date.now,
      });
    const root = await resolve(target, hosts, authorizer(), session).catch((e) => {
      throw asGoError(e).wrap(`failed to resolve reference ${goQuote(ref)}`);
    });
    const fetcher = new Fetcher(target, hosts, authorizer(), session);
    const fetch = async (desc: Descriptor, parse: boolean): Promise<readonly Descriptor[]> => {
      // Another pull on this node fetching the same digest: wait for it (containerd's ingest lock).
      await ctx.inflight.get(desc.digest)?.catch(() => undefined);
      if (!ctx.store.has(desc.digest)) {
        const job = fetcher.copy(desc, parse || ctx.keepContent);
        ctx.inflight.set(desc.digest, job);
        let copied: Copied;
        try {
          copied = await job;
        } finally {
          if (ctx.inflight.get(desc.digest) === job) ctx.inflight.delete(desc.digest);
        }
        received += copied.received;
        const kids = parse && copied.data !== undefined ? children(desc, copied.data) : undefined;
        ctx.store.add(desc.digest, desc.size, kids, ctx.keepContent ? copied.data : undefined);
      }
      return ctx.store.children(desc.digest) ?? [];
    };
    const content = [root.digest];
    let manifest = root;
    // Bounded: nested indexes are followed at most 8 deep.
    for (let depth = 0; indexTypes.has(manifest.mediaType) && depth < 8; depth++) {
      manifest = chooseManifest(ctx.platform, await fetch(manifest, true));
      content.push(manifest.digest);
    }
    const [config, ...layers] = await fetch(manifest, true);
    if (config === undefined)
      throw new GoError(`get image config descriptor: manifest ${manifest.digest} has no config`);
    await fetch(config, false);
    await limited(
      ctx.maxConcurrentDownloads,
      layers.map((layer) => async () => void (await fetch(layer, false))),
      () => session.cancel(),
    );
    content.push(config.digest, ...layers.map((l) => l.digest));
    const sizes = [root, manifest, config, ...layers];
    const size = [...new Map(sizes.map((d) => [d.digest, d.size])).values()].reduce((a, b) => a + b, 0);
    const name = `${target.namespace}/${target.repository}`;
    ctx.store.addImage(
      config.digest,
      { repoTag: target.tag === '' ? undefined : ref, repoDigest: `${name}@${root.digest}` },
      size,
      content,
    );
    return {
      imageRef: config.digest,
      digest: root.digest,
      manifestDigest: manifest.digest,
      size,
      bytes: received,
    };
  } catch (err) {
    const e = asGoError(err);
    throw toCriError(
      e.message.startsWith('failed to parse image reference')
        ? e
        : e.wrap(`failed to pull and unpack image ${goQuote(ref)}`),
    );
  } finally {
    session.close();
  }
}
