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
}

// k8s.io/apimachinery rand.SafeEncodeString's alphabet: no vowels, no look-alikes.
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const randomName = (n: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => alphabet[b % alphabet.length]).join('');

/** The deployment controller of one cluster. */
export function createDeployments(host: DeploymentHost) {
  const specs = new Map<string, { spec: DeploymentSpec; hash: string; ramp: AbortController }>();
  const stopped = new AbortController();

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
    for (let i = 0; i < missing && !signal.aborted; i++) {
      const due = start + (i * rampMs) / missing;
      await sleepUnless(host.clock, due - host.clock.now(), signal);
      if (signal.aborted) break;
      host.createPod({ ...d.spec.template, name: freeName(`${name}-${d.hash}-`) }, name);
    }
  }

  // Five characters of 27 collide within a 1,000-pod deployment about 3 % of the time: draw again,
  // as the ReplicaSet controller's generateName does when the API server answers AlreadyExists.
  function freeName(prefix: string): string {
    const taken = new Set(host.pods().map((p) => p.name));
    for (;;) {
      const candidate = `${prefix}${randomName(5)}`;
      if (!taken.has(candidate)) return candidate;
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
