/**
 * Deployments as a ReplicaSet controller would run them: pods named `<deployment>-<template hash>-<5
 * chars>`, a scale-up that creates the missing pods evenly over a ramp (a pull storm when every pod
 * lands on nodes without the image), and a scale-down that deletes not-yet-running pods first, then the
 * newest (ReplicaSet's `ActivePodsWithRanks` order, simplified). A new `scale` supersedes a ramp in
 * progress, as the controller reconciles to the latest desired count.
 *
 * `rampMs` is cluster-clock time (the run clock: scenario time).
 */

import type { Clock } from '../kubelet/clock.ts';
import { burstReplicas, CreatePace } from './replicaset-pace.ts';
import { sleepUnless } from './timing.ts';
import type { PodSpec, PodStatus } from './types.ts';

/** A deployment: a name, a replica count and the pod template (a pod spec without a name). */
export interface DeploymentSpec {
  name: string;
  /** Pods created at once; default 0. */
  replicas?: number;
  template: Omit<PodSpec, 'name'>;
}

/** Options of `scale`. */
export interface ScaleOptions {
  /** Spread the creation of new pods evenly over this many ms (first at once); default 0 (all at once). */
  rampMs?: number;
}

/** What the deployment controller needs from the cluster. */
export interface DeploymentHost {
  clock: Clock;
  createPod(spec: PodSpec, deployment: string): PodStatus;
  deletePod(name: string, namespace?: string): Promise<void>;
  pods(): PodStatus[];
  /** True when a pod of that name exists in `namespace` (default `default`). */
  hasPod?(name: string, namespace?: string): boolean;
}

// k8s.io/apimachinery rand.SafeEncodeString's alphabet: no vowels, no look-alikes.
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const randomName = (n: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => alphabet[b % alphabet.length]).join('');

/** The deployment controller of one cluster. */
export function createDeployments(host: DeploymentHost) {
  const specs = new Map<string, { spec: DeploymentSpec; hash: string; ramp: AbortController }>();
  const stopped = new AbortController();
  // One client limiter for every ReplicaSet of the controller.
  const pace = new CreatePace(host.clock);

  function owned(name: string): PodStatus[] {
    return host.pods().filter((p) => p.deployment === name);
  }

  async function scale(name: string, replicas: number, options: ScaleOptions = {}): Promise<void> {
    const d = specs.get(name);
    if (!d) throw new RangeError(`deployment ${name} does not exist`);
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new RangeError(`replicas must be an integer >= 0, got ${replicas}`);
    }
    const rampMs = options.rampMs ?? 0;
    if (!(rampMs >= 0)) throw new RangeError(`rampMs must be >= 0, got ${rampMs}`);
    d.ramp.abort();
    d.ramp = new AbortController();
    const signal = AbortSignal.any([d.ramp.signal, stopped.signal]);
    const current = owned(name);
    if (replicas < current.length) {
      const victims = [...current]
        .sort(
          (a, b) =>
            Number(a.phase === 'Running') - Number(b.phase === 'Running') ||
            (a.createdAt < b.createdAt ? 1 : -1),
        )
        .slice(0, current.length - replicas);
      await Promise.all(victims.map((p) => host.deletePod(p.name, p.namespace)));
      return;
    }
    const missing = replicas - current.length;
    const start = host.clock.now();
    // Pods that are due and have a token are created together, without a turn of the event loop
    // each; the loop yields only to wait (for the ramp, a token, or the next sync after 500).
    let synced = 0;
    for (let i = 0; i < missing && !signal.aborted; ) {
      const due = start + (i * rampMs) / missing - host.clock.now();
      const wait = due > 0 ? due : synced >= burstReplicas ? 0 : pace.take();
      if (due > 0 || wait > 0 || synced >= burstReplicas) {
        synced = 0;
        await sleepUnless(host.clock, wait, signal);
        continue;
      }
      host.createPod(
        { ...d.spec.template, name: freeName(`${name}-${d.hash}-`, d.spec.template.namespace) },
        name,
      );
      synced++;
      i++;
    }
  }

  // Five characters of 27 collide within a 1,000-pod deployment about 3 % of the time: draw again,
  // as the ReplicaSet controller's generateName does when the API server answers AlreadyExists.
  function freeName(prefix: string, namespace?: string): string {
    // Without hasPod (an older host) the names are gathered once per pod, O(pods).
    const taken = host.hasPod ? undefined : new Set(host.pods().map((p) => p.name));
    const exists = (name: string) => taken?.has(name) ?? host.hasPod!(name, namespace);
    for (;;) {
      const candidate = `${prefix}${randomName(5)}`;
      if (!exists(candidate)) return candidate;
    }
  }

  async function create(spec: DeploymentSpec): Promise<void> {
    if (specs.has(spec.name)) throw new RangeError(`deployment ${spec.name} already exists`);
    specs.set(spec.name, { spec, hash: randomName(10), ramp: new AbortController() });
    await scale(spec.name, spec.replicas ?? 0);
  }

  return {
    create,
    scale,
    /** Ends ramps in progress. */
    stop: () => stopped.abort(),
  };
}
