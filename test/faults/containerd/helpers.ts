/**
 * A bench for proving faults against real containerd: one stub registry served through a front
 * door per node, and process nodes whose hosts.toml sends their own `host:port` namespace to their
 * own door (so connection faults and `nodes` scopes hit one node). Images are referenced by the
 * door's address itself, so containerd's texts carry no `?ns=` and read like a direct pull.
 * `close()` stops every node and the registry, even after a failed start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { CriClient } from '../../../harness/backends/containerd/cri/client.ts';
import { formatKubeletPullError, isCriError } from '../../../harness/backends/containerd/cri/errors.ts';
import {
  type ContainerdNode,
  type ContainerdNodeOptions,
  startContainerdNode,
} from '../../../harness/backends/containerd/node.ts';
import { classify } from '../../../harness/classify/classify.ts';
import { catalogueEntry, type FaultName } from '../../../registry-stubs/faults/catalogue.ts';
import type { FaultSpec } from '../../../registry-stubs/faults/engine.ts';
import {
  type Endpoint,
  type RegistryRequestEvent,
  type RunningRegistry,
  type StartRegistryOptions,
  startRegistry,
} from '../../../registry-stubs/index.ts';

/** Bytes in a mebibyte. */
export const MiB = 1024 * 1024;

/** How long one pull may take unless a test says otherwise: far above any healthy pull here. */
export const PULL_TIMEOUT_MS = 20_000;

/** A node of the bench, reaching the registry through its own door. */
export interface BenchNode {
  name: string;
  node: ContainerdNode;
  door: Endpoint;
  /** `ip:port` of the door: the namespace in hosts.toml and the host in image references. */
  host: string;
  /** `<host>/pullstorm/<name>:<tag>`, or through `via` (another name of the door, e.g. `localhost`). */
  ref(image?: string, options?: { tag?: string; via?: string }): string;
}

/** One node of {@link BenchOptions}. */
export interface BenchNodeOptions
  extends Omit<ContainerdNodeOptions, 'name' | 'registries' | 'runId' | 'sandboxImage'> {
  name: string;
  /** Sandbox (pause) image as `<repository>:<tag>`, pulled through the node's own door. Default none. */
  sandbox?: string;
  /** Other names of the door written as namespaces too (`<alias>:<port>`), e.g. `localhost`. Default none. */
  aliases?: string[];
}

/** Options of {@link startBench}. */
export interface BenchOptions {
  /** Registry options; endpoints and request observation are the bench's. Default a plain registry. */
  registry?: Omit<StartRegistryOptions, 'endpoints' | 'onRequest'>;
  nodes: BenchNodeOptions[];
  /** Doors besides the nodes' own (e.g. a mirror). Default none. */
  extraEndpoints?: string[];
  /** Door address; default 127.0.0.1 (the TLS variants name it). */
  doorHost?: string;
  /** CA the nodes trust; its presence makes hosts.toml use https. Default none (plain http). */
  caPem?: string;
}

/** A started bench. */
export interface Bench extends AsyncDisposable {
  registry: RunningRegistry;
  /** Every finished registry request; tests empty it with `requests.length = 0`. */
  requests: RegistryRequestEvent[];
  node(name: string): BenchNode;
  door(name: string): Endpoint;
  close(): Promise<void>;
}

/** Starts the registry and the nodes; on any failure stops what started and rethrows. */
export async function startBench(options: BenchOptions): Promise<Bench> {
  const requests: RegistryRequestEvent[] = [];
  const runId = crypto.randomUUID().slice(0, 8);
  const host = options.doorHost ?? '127.0.0.1';
  const names = [...options.nodes.map((n) => n.name), ...(options.extraEndpoints ?? [])];
  const registry = await startRegistry({
    ...options.registry,
    endpoints: names.map((name) => ({ name, host })),
    onRequest: (e) => requests.push(e),
  });
  const scheme = options.caPem === undefined ? 'http' : 'https';
  const door = (name: string) => {
    const found = registry.endpoints.find((e) => e.name === name);
    if (found === undefined) throw new RangeError(`no endpoint named ${name}`);
    return found;
  };
  const settled = await Promise.allSettled(
    options.nodes.map(async ({ aliases = [], sandbox, ...o }): Promise<BenchNode> => {
      const d = door(o.name);
      const hostPort = `${d.host}:${d.port}`;
      const namespaces = [hostPort, ...aliases.map((a) => `${a}:${d.port}`)];
      const node = await startContainerdNode({
        ...o,
        runId,
        ...(sandbox === undefined ? {} : { sandboxImage: `${hostPort}/${sandbox}` }),
        registries: namespaces.map((ns) => ({
          host: ns,
          server: `${scheme}://${ns}`,
          ...(options.caPem === undefined ? {} : { caPem: options.caPem }),
        })),
      });
      const ref: BenchNode['ref'] = (image = 'tiny', { tag = '1.0', via } = {}) =>
        `${via === undefined ? hostPort : `${via}:${d.port}`}/pullstorm/${image}:${tag}`;
      return { name: o.name, node, door: d, host: hostPort, ref };
    }),
  );
  const nodes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const results = await Promise.allSettled(nodes.map((n) => n.node.stop()));
      results.push(...(await Promise.allSettled([registry.close()])));
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (errors.length) throw new AggregateError(errors, 'bench teardown failed');
    })();
    return closing;
  };
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
  if (failures.length) {
    await close().catch((err: unknown) => failures.push(err));
    throw new AggregateError(failures, `${failures.length} of ${options.nodes.length} nodes failed to start`);
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return {
    registry,
    requests,
    node: (name) => byName.get(name) ?? raise(`no node named ${name}`),
    door,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function raise(message: string): never {
  throw new RangeError(message);
}

/** Anything with a CRI client: a bench node, a process node or a container node. */
export type Puller = BenchNode | { cri: CriClient };

const criOf = (node: Puller): CriClient => ('cri' in node ? node.cri : node.node.cri);

/** `text` with every RegExp metacharacter escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a failed pull came to: kubelet's rendering of the CRI error (after `Failed to pull image "X": `). */
export interface PullFailure {
  /** Go code name of the CRI status (`Unknown`, `NotFound` …). */
  code: string;
  /** What kubelet shows: bare for Unknown, `rpc error: code = … desc = …` otherwise. */
  text: string;
}

/** Pulls `ref` and expects a CRI error; anything else fails the test. */
export async function pullFailure(
  node: Puller,
  ref: string,
  options: { timeoutMs?: number; auth?: { username: string; password: string } } = {},
): Promise<PullFailure> {
  const cri = criOf(node);
  const outcome = await cri
    .pullImage(ref, {
      timeoutMs: options.timeoutMs ?? PULL_TIMEOUT_MS,
      ...(options.auth ? { auth: options.auth } : {}),
    })
    .then(
      (r) => ({ ok: r.imageRef }),
      (err: unknown) => ({ err }),
    );
  if ('ok' in outcome) throw new Error(`expected pulling ${ref} to fail; it pulled ${outcome.ok}`);
  if (!isCriError(outcome.err)) throw outcome.err;
  return { code: outcome.err.codeName, text: formatKubeletPullError(outcome.err) };
}

/** Pulls `ref`, expecting success; removes the image again (synchronous GC) so the next test starts clean. */
export async function pullAndRemove(
  node: Puller,
  ref: string,
  options: { timeoutMs?: number; auth?: { username: string; password: string } } = {},
): Promise<string> {
  const cri = criOf(node);
  const { imageRef } = await cri.pullImage(ref, {
    timeoutMs: options.timeoutMs ?? PULL_TIMEOUT_MS,
    ...(options.auth ? { auth: options.auth } : {}),
  });
  await cri.removeImage(ref);
  return imageRef;
}

/**
 * Pulls `ref` until it succeeds (every 250 ms, for at most `withinMs`), then removes it; resolves
 * with kubelet's text of each failure before the success. For faults whose damage outlives them on
 * the node until containerd's garbage collector runs (a corrupted ingest), where kubelet's backoff
 * (10 s and up) would hide the difference.
 */
export async function pullEventually(
  node: BenchNode,
  ref: string,
  withinMs = 5_000,
): Promise<{ imageRef: string; failures: string[] }> {
  const failures: string[] = [];
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return { imageRef: await pullAndRemove(node, ref), failures };
    } catch (err) {
      if (!isCriError(err) || Date.now() > deadline) throw err;
      failures.push(formatKubeletPullError(err));
      await sleep(250);
    }
  }
}

/** Asserts the classifier puts kubelet's event text for `text` among the catalogue's causes for `fault`. */
export function expectClassified(fault: FaultName, image: string, text: string): void {
  const event = `Failed to pull image "${image}": ${text}`;
  const { cause } = classify(event);
  expect(catalogueEntry(fault)!.expectedCauses, `classify(${JSON.stringify(event)}) = ${cause}`).toContain(
    cause,
  );
}

/** Applies `spec`, runs `body`, and clears the fault whatever happens. */
export async function withFault<T>(
  registry: RunningRegistry,
  spec: FaultSpec,
  body: () => Promise<T>,
): Promise<T> {
  const fault = await registry.faults.apply(spec);
  try {
    return await body();
  } finally {
    await fault.clear();
  }
}

/** `[method status]` of each request, in order (for asserting containerd's exact request pattern). */
export function statuses(requests: readonly RegistryRequestEvent[], route?: string): string[] {
  return requests
    .filter((r) => route === undefined || r.route === route)
    .map((r) => `${r.method} ${r.status}`);
}
