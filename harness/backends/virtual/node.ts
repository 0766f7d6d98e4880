/**
 * A virtual node: the CRI ImageService of a containerd 1.7 node without the daemon. It pulls over
 * real HTTP from its own source address, answers with containerd's texts and codes, and keeps only
 * an index of what it holds, so thousands fit in one process.
 */
import type { AuthConfig, ImageInfo, ImageService } from '../../kubelet/image-service.ts';
import { resolveNodeOptions, type VirtualNodeOptions } from './options.ts';
import { type PullContext, type PullOutcome, pullImage } from './pull.ts';
import { VirtualStore } from './store.ts';

/** Counters of one node since it was created. */
export interface VirtualNodeStats {
  /** PullImage calls, failed ones included. */
  pulls: number;
  failures: number;
  /** HTTP exchanges sent (token requests excluded). */
  requests: number;
  /** Content bytes received. */
  bytes: number;
}

/** A virtual node; use `await using node = createVirtualNode(…)` or call `close()`. */
export interface VirtualNode extends ImageService, AsyncDisposable {
  readonly name: string;
  /** `os/architecture[/variant]`. */
  readonly platform: string;
  readonly clientAddress: string | undefined;
  /** PullImage; rejects with a CriError (code and details as containerd's CRI plugin sends them). */
  pullImage(image: string, options?: { auth?: AuthConfig }): Promise<PullOutcome>;
  imageStatus(image: string): Promise<{ image?: ImageInfo }>;
  listImages(): Promise<ImageInfo[]>;
  removeImage(image: string): Promise<void>;
  /** Bytes of content the node holds (its image filesystem, as far as a virtual node has one). */
  imageFsInfo(): Promise<{ usedBytes: number }>;
  /** The bytes of `digest`, when the node keeps content (`keepContent`). */
  content(digest: string): Uint8Array | undefined;
  stats(): VirtualNodeStats;
  /** Cancels pulls in flight (`context canceled`) and refuses new ones. */
  close(): Promise<void>;
}

/** Creates a virtual node; throws TypeError listing every problem with `options`. */
export function createVirtualNode(options: VirtualNodeOptions): VirtualNode {
  const o = resolveNodeOptions(options);
  const store = new VirtualStore(o.keepContent);
  const closing = new AbortController();
  const stats: VirtualNodeStats = { pulls: 0, failures: 0, requests: 0, bytes: 0 };
  const context: PullContext = {
    store,
    platform: o.platform,
    hosts: o.hosts,
    credentials: o.credentials,
    maxConcurrentDownloads: o.maxConcurrentDownloads,
    keepContent: o.keepContent,
    inflight: new Map(),
    session: {
      localAddress: o.clientAddress,
      dialTimeoutMs: o.dialTimeoutMs,
      tlsHandshakeTimeoutMs: o.tlsHandshakeTimeoutMs,
      progressTimeoutMs: o.progressTimeoutMs,
      userAgent: o.userAgent,
      nodeSignal: closing.signal,
      onExchange: () => {
        stats.requests++;
      },
      onBytes: (n) => {
        stats.bytes += n;
      },
    },
  };
  const close = async () => closing.abort();
  return {
    name: o.name,
    platform: o.platformText,
    clientAddress: o.clientAddress,
    async pullImage(image, pullOptions = {}) {
      stats.pulls++;
      try {
        return await pullImage(image, pullOptions.auth, context);
      } catch (err) {
        stats.failures++;
        throw err;
      }
    },
    imageStatus: async (image) => {
      const found = store.status(image);
      return found === undefined ? {} : { image: found };
    },
    listImages: async () => store.list(),
    removeImage: async (image) => store.remove(image),
    imageFsInfo: async () => ({ usedBytes: store.usedBytes() }),
    content: (digest) => store.bytes(digest),
    stats: () => ({ ...stats }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
