/**
 * Registry stubs that run outside the harness process (kind: stub containers; kubeconfig: a stub
 * Deployment in the user's cluster), steered and observed like the embedded backend's in-process
 * ones: faults are applied and cleared through each stub's control API, and each stub's event feed
 * is followed from the start until `stop()`, its events relayed to the run's event log — requests
 * with `registry: <stub name>` added, fault changes once per fault id across stubs (as
 * harness/backends/embedded/registries.ts does in-process), hits as they come.
 *
 * The transports are in remote-stub/access.ts (direct http(s), or through the Kubernetes API
 * server's service proxy); following is remote-stub/follow.ts.
 */
import { type ControlClient, createControlClient } from '../../registry-stubs/faults/client.ts';
import type { FeedEvent } from '../../registry-stubs/feed.ts';
import { faultEventLog } from '../events/fault-events.ts';
import type { RunEvent } from '../events/types.ts';
import type { Fault } from '../scenario/resolved.ts';
import type { StubAccess } from './remote-stub/access.ts';
import { type Follower, followFeed } from './remote-stub/follow.ts';

export {
  directAccess,
  kubeProxyAccess,
  nodeFetch,
  type StubAccess,
  serviceProxyUrl,
} from './remote-stub/access.ts';
export { FeedError } from './remote-stub/follow.ts';

/** A new random control token for a stub: 32 hex digits (128 bits) from WebCrypto. */
export function newControlToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** One stub out of process. */
export interface RemoteStubOptions {
  /** Registry or mirror name, as fault scopes name it and request events carry it. */
  name: string;
  access: StubAccess;
  /** The control token the stub was started with. */
  token: string;
}

/** Options of {@link remoteStubs}. */
export interface RemoteStubsOptions {
  /** The event log. */
  emit: (event: RunEvent) => void;
  /** What went wrong while following (unreachable feed, dropped events); default none. */
  onError?: (error: Error) => void;
  /** Progress lines (a feed answering again); default none. */
  log?: (line: string) => void;
  /** Long-poll wait in ms; default 20 000. */
  waitMs?: number;
  /** Control calls' timeout in ms; default 10 000. */
  timeoutMs?: number;
}

/** The stubs of a run, followed until `stop()`. */
export interface RemoteStubs {
  /** Applies `fault` on every stub its scope names (all when it names none); resolves with its clear. */
  applyFault(fault: Fault): Promise<() => Promise<void>>;
  /** Each stub's control client, by name. */
  readonly controls: ReadonlyMap<string, ControlClient>;
  /** Stops following, after a last drain of what the stubs still hold; idempotent, never rejects. */
  stop(): Promise<void>;
}

/** Starts following every stub's feed and returns their controls. */
export function remoteStubs(stubs: readonly RemoteStubOptions[], o: RemoteStubsOptions): RemoteStubs {
  const faultEvents = faultEventLog(o.emit);
  const controls = new Map<string, ControlClient>();
  const followers: Follower[] = [];
  for (const stub of stubs) {
    controls.set(
      stub.name,
      createControlClient({
        url: stub.access.url,
        token: stub.token,
        fetch: stub.access.fetch,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      }),
    );
    const faults = faultEvents.from(stub.name);
    const relay = (event: FeedEvent) => {
      if (event.kind === 'registry.request') o.emit({ ...event, registry: stub.name });
      else faults(event);
    };
    followers.push(
      followFeed({
        name: stub.name,
        access: stub.access,
        token: stub.token,
        onEvents: (events) => {
          for (const event of events) relay(event);
        },
        ...(o.onError ? { onError: o.onError } : {}),
        ...(o.log ? { log: o.log } : {}),
        ...(o.waitMs !== undefined ? { waitMs: o.waitMs } : {}),
      }),
    );
  }
  let stopping: Promise<void> | undefined;
  return {
    controls,
    async applyFault(fault) {
      const { registry, ...scope } = fault.scope;
      const targets = [...controls].filter(([name]) => registry === undefined || name === registry);
      if (targets.length === 0)
        throw new RangeError(
          `fault ${fault.id}: expected scope.registry to name one of the stubs (${[...controls.keys()].join(', ')}), got '${registry}'`,
        );
      if (scope.nodes?.length)
        throw new RangeError(
          `fault ${fault.id}: a stub out of process cannot tell nodes apart (every node reaches it the same way); expected no scope.nodes, got ${scope.nodes.join(', ')}`,
        );
      const spec = { id: fault.id, fault: fault.fault, options: fault.options, scope };
      const applied = await Promise.allSettled(targets.map(([, control]) => control.apply(spec)));
      const on = targets.filter((_, i) => applied[i]!.status === 'fulfilled').map(([, c]) => c);
      const clear = async () => {
        await Promise.all(on.map((control) => control.clear(fault.id)));
      };
      const failed = applied.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) {
        // All or nothing: a fault half applied would make the run's results unreadable.
        await clear().catch(() => undefined);
        throw failed.reason;
      }
      return clear;
    },
    stop() {
      stopping ??= Promise.all(followers.map((f) => f.stop())).then(() => undefined);
      return stopping;
    },
  };
}
