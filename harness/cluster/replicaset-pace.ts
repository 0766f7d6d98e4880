/**
 * The pace at which a ReplicaSet controller creates pods (pkg/controller/replicaset/replica_set.go):
 * at most `BurstReplicas` (500) per sync, each create an API call through the controller-manager's
 * client rate limiter (`--kube-api-qps` 20, `--kube-api-burst` 30, kube-controller-manager's
 * defaults), one limiter for all the controller's ReplicaSets. Pods whose tokens are there create in
 * one batch in the same turn (slowStartBatch sends them concurrently); the rest wait for their
 * token. Not modelled: the watch delay between syncs, slow start's stop on a failed create.
 */
import type { Clock } from '../kubelet/clock.ts';
import { TokenBucket } from '../kubelet/qps.ts';

/** kube-controller-manager's default `--kube-api-qps`. */
export const controllerQps = 20;
/** kube-controller-manager's default `--kube-api-burst`. */
export const controllerBurst = 30;
/** replicaset.BurstReplicas: pods one sync creates at most. */
export const burstReplicas = 500;

/** The controller's client limiter: how long until the next create may go out. */
export class CreatePace {
  readonly #bucket: TokenBucket;

  constructor(clock: Clock, qps = controllerQps, burst = controllerBurst) {
    this.#bucket = new TokenBucket({ qps, burst, clock });
  }

  /** Takes a token and returns 0, or returns the ms until one is there (taking nothing). */
  take(): number {
    if (this.#bucket.tryAccept()) return 0;
    return Math.max(1, Math.ceil((1 - this.#bucket.tokens()) / this.#bucket.ratePerMs));
  }
}
