/**
 * A backend is where image pulls happen, shaped like kind's providers (`internal/providers/provider.go`):
 * a few verbs and an `info()` whose capability flags say what it can do, so the runner checks a flag
 * instead of failing deep inside a call. `detectBackend()` tries candidates in order, as
 * testcontainers' runtime strategies do: each answers "not applicable" (skip quietly), "broken" (it
 * applies but does not work: remembered and logged) or ready; the final error names every one tried.
 */

import { catalogueEntry } from '../../registry-stubs/faults/catalogue.ts';
import { PullstormError } from '../../vocab/errors.ts';
import type { DeploymentSpec, ScaleOptions } from '../cluster/deployments.ts';
import type { PodSpec, PodStatus } from '../cluster/types.ts';
import type { RunEvent } from '../events/types.ts';
import type { RunClock } from '../kubelet/run-clock.ts';
import type { BackendType } from '../scenario/model.ts';
import type { Fault, Scenario } from '../scenario/resolved.ts';

/** What a backend can do; the runner refuses a scenario that needs a missing one before provisioning. */
export interface BackendCapabilities {
  /** It creates the cluster and its nodes (false: an existing cluster is used as found). */
  provision: boolean;
  /** Node-scoped faults (`dns`, `disk-full`) can be applied to single nodes. */
  nodeFaults: boolean;
  /** Nodes' image filesystems can be size-limited, so `disk-full` is possible. */
  diskFaults: boolean;
  /** Containers really start, so `exec format error` and CrashLoopBackOff are observable. */
  startsContainers: boolean;
  /** Connection faults can target one node (each node has its own path to the registry). */
  perNodeNetwork: boolean;
  /** TCP- and TLS-layer faults (`refused`, `reset`, `latency`, `tls-*`…) apply: the stubs have front doors. */
  connectionFaults: boolean;
  /**
   * Nodes verify the stubs' certificates and refuse plain HTTP (each node has the stub's hosts.toml
   * and CA), so the certificate faults (CERTIFICATE_FAULTS) can fail a pull at all.
   */
  verifiesTls: boolean;
}

/** Faults whose effect needs a node that verifies the stub's certificate and insists on HTTPS. */
export const CERTIFICATE_FAULTS: readonly string[] = [
  'tls-unknown-ca',
  'tls-expired',
  'tls-wrong-host',
  'tls-no-ip-san',
  'tls-plain-http',
];

/** A backend's name and capabilities; `notes` say why a flag is off. */
export interface BackendInfo {
  name: BackendType;
  capabilities: BackendCapabilities;
  /** Human-readable limits, e.g. "per-node network faults: all kind nodes share one Docker network". Default none. */
  notes?: string[];
  /** Why nodes do not verify the stubs' certificates, when `verifiesTls` is false; default none. */
  tlsNote?: string;
}

/**
 * The cluster surface the runner drives; the embedded `Cluster` (harness/cluster) satisfies it as is.
 * Kubernetes-backed clusters answer `createPod` asynchronously, so the result may be a promise.
 */
export interface BackendCluster extends AsyncDisposable {
  readonly runId: string;
  /** Creates a pod; rejects/throws RangeError when the name is taken or no node fits. */
  createPod(spec: PodSpec): PodStatus | Promise<PodStatus>;
  /** Deletes a pod. */
  deletePod(name: string, namespace?: string): Promise<void>;
  /** Creates a deployment with `replicas` pods. */
  createDeployment(spec: DeploymentSpec): Promise<void>;
  /** Scales a deployment; a scale-up spreads the new pods evenly over `rampMs` (a pull storm). */
  scale(name: string, replicas: number, options?: ScaleOptions): Promise<void>;
  /** The latest known pod states, in creation order. */
  pods(): PodStatus[];
  /** Resolves once `predicate` holds; rejects with an Error named `TimeoutError` after `timeoutMs`. */
  waitFor(predicate: (pods: PodStatus[]) => boolean, timeoutMs: number): Promise<PodStatus[]>;
  /** Stops observing and removes what the cluster created; idempotent. */
  stop(): Promise<void>;
}

/** What `provision` gets from the run. */
export interface ProvisionContext {
  runId: string;
  /** The run's output directory (generated configs, kubeconfig, CA files go below it). */
  outDir: string;
  /** The event log. */
  emit: (event: RunEvent) => void;
  /** Aborts provisioning (Ctrl-C); default never. */
  signal?: AbortSignal;
  /** Progress lines; default silent. */
  log?: (line: string) => void;
  /**
   * The run clock everything in the run reads (the embedded backend warps it over idle time); default
   * a real one. kind and kubeconfig run in real time whatever it is.
   */
  clock?: RunClock;
}

/** One backend instance: provision once, drive `cluster`, tear down always. */
export interface Backend extends AsyncDisposable {
  info(): BackendInfo;
  /**
   * Refuses `scenario` before anything is created, with read-only calls only (a missing flag, a
   * production context, a pin to a node the cluster lacks). RangeError/TypeError and errors with
   * `exitCode` 2 are the input's fault (exit 2); anything else is the environment's (exit 3).
   * Default: nothing to check.
   */
  check?(scenario: Scenario): Promise<void>;
  /** Creates (or connects to) the cluster for `scenario`; on failure it undoes what it made. */
  provision(scenario: Scenario, ctx: ProvisionContext): Promise<BackendCluster>;
  /** The provisioned cluster; undefined before `provision` and after `teardown`. */
  readonly cluster: BackendCluster | undefined;
  /**
   * Applies a registry fault on every stub its scope names (all when it names none); resolves with
   * its clear. The stub's `fault.applied` / `fault.cleared` / `fault.hit` and `registry.request`
   * events reach `ProvisionContext.emit` (relayed from out-of-process stubs), as in the embedded run.
   */
  applyRegistryFault(fault: Fault): Promise<() => Promise<void>>;
  /** Applies a node fault; present exactly when `capabilities.nodeFaults`. Resolves with its clear. */
  applyNodeFault?(fault: Fault): Promise<() => Promise<void>>;
  /**
   * Stops observing out-of-process parts after a last drain (the stubs' event feeds), so everything
   * they saw is in the log before `run.finished`; faults can still be cleared. Default: nothing.
   */
  quiesce?(): Promise<void>;
  /** Versions for the report's environment (e.g. `kubernetes`, `containerd`); default none. */
  versions?(): Record<string, string>;
  /** How to reach what a `--retain`ed run keeps up (registries, kubeconfig, nodes), as lines; default none. */
  retained?(): string;
  /** Removes everything `provision` created; idempotent, safe after a failed provision. */
  teardown(): Promise<void>;
}

/**
 * What a `provision` does when it fails: undo what it made, then throw its error — with the undo's
 * failure attached when that failed too, so a half-removed cluster is never silent.
 */
export async function failProvision(
  error: unknown,
  teardown: () => Promise<void>,
  runId: string,
): Promise<never> {
  const undone = await teardown().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (undone === undefined) throw error;
  const message = error instanceof Error ? error.message : String(error);
  const undoMessage = undone instanceof Error ? undone.message : String(undone);
  throw new AggregateError(
    [error, undone],
    `${message}; undoing what was made failed too: ${undoMessage} (pullstorm clean --run-id ${runId} removes what is left)`,
  );
}

/** A candidate's answer: ready, or why not. */
export type Probe =
  | { status: 'ready'; detail: string; create: () => Backend }
  | { status: 'not-applicable'; reason: string }
  | { status: 'broken'; reason: string; cause?: unknown };

/** One way to get a backend, tried in order by `detectBackend`. */
export interface BackendCandidate {
  /** e.g. `kind`, `kubeconfig (context staging)`. */
  name: string;
  /** The scenario backend type it serves. */
  type: BackendType;
  /** Looks without changing anything; never throws (a throw counts as broken). */
  probe(): Promise<Probe>;
}

/** Thrown when no candidate is ready; `attempts` has every candidate's answer. Stable `code`: `BACKEND_UNAVAILABLE`. */
export class BackendUnavailableError extends PullstormError {
  readonly code = 'BACKEND_UNAVAILABLE';
  readonly attempts: { name: string; status: 'not-applicable' | 'broken'; reason: string }[];
  constructor(type: string, attempts: BackendUnavailableError['attempts'], causes: unknown[]) {
    const tried = attempts.map(
      (a) => `${a.name}: ${a.status === 'broken' ? 'broken' : 'not applicable'} (${a.reason})`,
    );
    super(
      tried.length === 0
        ? `no backend candidate serves type '${type}'`
        : `no working '${type}' backend; tried ${tried.join('; ')}`,
      causes.length ? { cause: new AggregateError(causes) } : undefined,
    );
    this.name = 'BackendUnavailableError';
    this.attempts = attempts;
  }
}

/** Options of `detectBackend`. */
export interface DetectOptions {
  /** Candidates in order; default none (pass kind's and kubeconfig's, see their `candidate()`). */
  candidates: readonly BackendCandidate[];
  /** Where each attempt is logged; default silent. */
  log?: (line: string) => void;
}

/** The first ready candidate serving `type`; throws BackendUnavailableError naming all tried. */
export async function detectBackend(
  type: BackendType,
  options: DetectOptions,
): Promise<{ name: string; backend: Backend }> {
  const log = options.log ?? (() => undefined);
  const attempts: BackendUnavailableError['attempts'] = [];
  const causes: unknown[] = [];
  for (const candidate of options.candidates.filter((c) => c.type === type)) {
    let probe: Probe;
    try {
      probe = await candidate.probe();
    } catch (error) {
      probe = { status: 'broken', reason: (error as Error).message, cause: error };
    }
    if (probe.status === 'ready') {
      log(`backend ${candidate.name}: ready (${probe.detail})`);
      return { name: candidate.name, backend: probe.create() };
    }
    log(
      `backend ${candidate.name}: ${probe.status === 'broken' ? 'broken' : 'not applicable'}: ${probe.reason}`,
    );
    attempts.push({ name: candidate.name, status: probe.status, reason: probe.reason });
    if (probe.status === 'broken' && probe.cause !== undefined) causes.push(probe.cause);
  }
  throw new BackendUnavailableError(type, attempts, causes);
}

/** Catalogue `where` values of the faults the stubs' front doors apply. */
const CONNECTION_LAYERS = new Set(['TCP layer', 'TLS layer']);

/** Capabilities a scenario needs that `info` lacks, as "flag: why" lines (empty: it can run). */
export function missingCapabilities(info: BackendInfo, scenario: Scenario): string[] {
  const missing: string[] = [];
  const c = info.capabilities;
  const faults = new Set(scenario.faults.map((f) => f.fault));
  if (faults.has('disk-full') && !c.diskFaults)
    missing.push('diskFaults: the scenario has a disk-full fault');
  if (faults.has('dns') && !c.nodeFaults) missing.push('nodeFaults: the scenario has a dns fault');
  const connection = [...faults].filter((f) => CONNECTION_LAYERS.has(catalogueEntry(f)?.where ?? ''));
  if (connection.length && !c.connectionFaults)
    missing.push(`connectionFaults: the scenario has ${connection.join(', ')} (TCP/TLS-layer faults)`);
  const certificate = [...faults].filter((f) => CERTIFICATE_FAULTS.includes(f));
  if (certificate.length && !c.verifiesTls)
    missing.push(
      `verifiesTls: the scenario has ${certificate.join(', ')}, which cannot fail a pull where nodes do not verify the stub's certificate${info.tlsNote ? ` (${info.tlsNote})` : ''}`,
    );
  const perNode = scenario.faults.some(
    (f) => f.scope.nodes?.length && f.fault !== 'disk-full' && f.fault !== 'dns',
  );
  if (perNode && !c.perNodeNetwork) missing.push('perNodeNetwork: a fault is scoped to nodes');
  return missing.map((m) => `${info.name}: ${m}`);
}
