/**
 * The scenario's timeline on the run clock: every workload entry at `atMs` (ramps spread over
 * `overMs`), every fault applied at `atMs` and cleared at `clearAtMs`, all scenario time. Applying and
 * clearing a fault is real work (a ballast file written, a front door re-armed), so it is tracked on
 * the clock and time does not skip past it. A fault that never clears stays until teardown and is
 * never reported as cleared, so the analysis sees it active to the end.
 */

import { podImage, pullSecretName } from '../backends/names.ts';
import type { BackendCluster } from '../backends/provider.ts';
import { faultPlace } from '../backends/stub-engine.ts';
import type { PodSpec, PodStatus } from '../cluster/index.ts';
import { sleepUntil } from '../cluster/timing.ts';
import type { RunClock } from '../kubelet/run-clock.ts';
import type { Fault, Scenario, Workload } from '../scenario/resolved.ts';

/** The pod spec (without a name) of a workload entry. */
export function podTemplate(w: Workload): Omit<PodSpec, 'name'> {
  return {
    image: podImage(w.ref),
    imagePullPolicy: w.imagePullPolicy,
    ...(w.pullSecret ? { imagePullSecrets: [pullSecretName(w.ref.registry, w.pullSecret)] } : {}),
    ...(w.nodes.length > 0 ? { nodeSelector: w.nodes } : {}),
  };
}

/** What the timeline needs. */
export interface TimelineContext {
  scenario: Scenario;
  cluster: BackendCluster;
  /** Applies a registry fault; resolves with its clear. */
  applyRegistryFault(fault: Fault): Promise<() => Promise<void>>;
  /** Applies a node fault (`dns`, `disk-full`); resolves with its clear. */
  applyNodeFault(fault: Fault): Promise<() => Promise<void>>;
  /** Ends waits early (Ctrl-C, a failure elsewhere). */
  signal: AbortSignal;
  /** The run clock. */
  clock: RunClock;
}

/** A started timeline. */
export interface Timeline {
  /** Resolves when every entry has happened (ramps finished, cleared faults cleared); rejects on a failure. */
  done: Promise<void>;
  /** Run-clock ms (epoch) of the latest entry so far: a pod created or a fault applied. */
  lastChangeAt(): number;
  /** Faults applied and not cleared: their clear functions by id. */
  readonly active: Map<string, () => Promise<void>>;
}

/** Starts the timeline now (scenario time zero). */
export function startTimeline(ctx: TimelineContext): Timeline {
  const { clock, signal } = ctx;
  const t0 = clock.now();
  const at = (ms: number) => t0 + ms;
  const until = (ms: number) => sleepUntil(clock, ms, signal);
  let last = t0;
  const touched = () => {
    last = clock.now();
  };
  const active = new Map<string, () => Promise<void>>();

  // A Kubernetes-backed cluster creates pods asynchronously: collect each creation so a rejection
  // fails the timeline (as the embedded cluster's synchronous throw does) instead of going unhandled.
  let creationFailed: (error: unknown) => void = () => undefined;
  const creationFailure = new Promise<never>((_, reject) => {
    creationFailed = reject;
  });
  const creations: Promise<PodStatus>[] = [];
  const createPod = (spec: PodSpec) => {
    const created = Promise.resolve(ctx.cluster.createPod(spec));
    created.catch(creationFailed);
    creations.push(created);
  };

  async function workload(w: Workload): Promise<void> {
    await until(at(w.atMs));
    if (ctx.signal.aborted) return;
    const template = podTemplate(w);
    if (w.kind === 'deployment') {
      await ctx.cluster.createDeployment({ name: w.name, replicas: w.replicas, template });
      touched();
      if (w.ramp) {
        await ctx.cluster.scale(w.name, w.ramp.to, { rampMs: w.ramp.overMs });
        touched();
      }
      return;
    }
    const total = w.ramp ? Math.max(w.ramp.to, w.replicas) : w.replicas;
    const name = (i: number) => (total === 1 ? w.name : `${w.name}-${i}`);
    for (let i = 0; i < w.replicas; i++) createPod({ ...template, name: name(i) });
    touched();
    const extra = total - w.replicas;
    for (let i = 0; i < extra && !ctx.signal.aborted; i++) {
      // As the deployment controller ramps: the first at once, the rest evenly over the ramp.
      await until(at(w.atMs) + (i * (w.ramp?.overMs ?? 0)) / extra);
      if (ctx.signal.aborted) return;
      createPod({ ...template, name: name(w.replicas + i) });
      touched();
    }
  }

  async function fault(f: Fault): Promise<void> {
    await until(at(f.atMs));
    if (ctx.signal.aborted) return;
    const clear = await clock.track(
      faultPlace(f.fault) === 'node' ? ctx.applyNodeFault(f) : ctx.applyRegistryFault(f),
    );
    active.set(f.id, clear);
    touched();
    if (f.clearAtMs === undefined) return;
    await until(at(f.clearAtMs));
    if (ctx.signal.aborted) return;
    active.delete(f.id);
    await clock.track(clear());
    touched();
  }

  const played = Promise.all([...ctx.scenario.workload.map(workload), ...ctx.scenario.faults.map(fault)]);
  const done = Promise.race([played.then(() => Promise.all(creations)), creationFailure]).then(
    () => undefined,
  );
  return { done, lastChangeAt: () => last, active };
}
