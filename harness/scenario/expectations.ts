/**
 * Expectations: the SLOs that decide a run's verdict and exit code. One tagged union keyed by
 * `type`, so reports and the analysis can switch on it and the compiler demands every case.
 * A `fault` field names a fault `id`; left out, the expectation holds for every fault.
 *
 * ```yaml
 * - { type: detectedWithin, fault: quota, within: 30s }      # a matching classification that soon after the fault starts
 * - { type: classifiedAs, fault: quota, cause: rate-limited } # failures while it is applied get this cause
 * - { type: recoveredWithin, fault: quota, within: 2m }      # every affected pod running that soon after it clears
 * - { type: pullLatency, percentile: 95, under: 10s }       # Pulling → Pulled
 * - { type: originAmplification, atMost: 1.2 }              # origin blob bytes ÷ unique blob bytes
 * - { type: digestDrift, detected: false }                  # all nodes run one digest per tag
 * - { type: allPodsRunning, within: 3m }                    # by then (default: by the end of the run)
 * - { type: podsFailing, reason: ImagePullBackOff, atLeast: 5 }
 * - { type: tolerated, fault: mirror-down }                  # no pod fails while it is applied (a fallback works)
 * - { type: fallbackTime, fault: mirror-down, under: 5s }    # pulls on its nodes while a mirror is down reach the next host that fast
 * ```
 */
import type { Duration } from './model.ts';

/** Percentiles of pull latency a scenario can bound; 100 is the maximum. */
export const PERCENTILES = [50, 90, 95, 99, 100] as const;
/** One of `PERCENTILES`. */
export type Percentile = (typeof PERCENTILES)[number];

/** Waiting reasons a pod's container shows for image and start failures (kubelet's texts). */
export const WAITING_REASONS = [
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'ImageInspectError',
  'CrashLoopBackOff',
  'CreateContainerError',
  'RunContainerError',
] as const;
/** One of `WAITING_REASONS`. */
export type WaitingReason = (typeof WAITING_REASONS)[number];

/** An expectation as written; durations as text or ms. */
export type ExpectationInput =
  | { type: 'detectedWithin'; fault?: string; within: Duration }
  /** `cause` is a classifier cause id, e.g. `rate-limited`. */
  | { type: 'classifiedAs'; fault?: string; cause: string }
  | { type: 'recoveredWithin'; fault?: string; within: Duration }
  /** `percentile` defaults to 95. */
  | { type: 'pullLatency'; percentile?: Percentile; under: Duration }
  | { type: 'originAmplification'; atMost: number }
  | { type: 'digestDrift'; detected: boolean }
  /** `within` is from the run's start; default by the end of the run. */
  | { type: 'allPodsRunning'; within?: Duration }
  | { type: 'podsFailing'; reason: WaitingReason; atLeast: number }
  /** No pod fails while the fault is applied: the cluster tolerates it (a mirror falling back). */
  | { type: 'tolerated'; fault?: string }
  /**
   * Every pull that started on the fault's nodes while it kept a mirror down succeeded through the
   * next host in under `under` (and, given `atLeast`, none faster: e.g. a dial timeout was waited).
   */
  | { type: 'fallbackTime'; fault: string; under: Duration; atLeast?: Duration };

/** An expectation after defaulting, durations in ms. */
export type Expectation =
  | { type: 'detectedWithin'; fault?: string; withinMs: number }
  | { type: 'classifiedAs'; fault?: string; cause: string }
  | { type: 'recoveredWithin'; fault?: string; withinMs: number }
  | { type: 'pullLatency'; percentile: Percentile; underMs: number }
  | { type: 'originAmplification'; atMost: number }
  | { type: 'digestDrift'; detected: boolean }
  | { type: 'allPodsRunning'; withinMs?: number }
  | { type: 'podsFailing'; reason: WaitingReason; atLeast: number }
  | { type: 'tolerated'; fault?: string }
  | { type: 'fallbackTime'; fault: string; underMs: number; atLeastMs?: number };

/** Every expectation `type`, in the order reports list them. */
export const EXPECTATION_TYPES = [
  'detectedWithin',
  'classifiedAs',
  'recoveredWithin',
  'pullLatency',
  'originAmplification',
  'digestDrift',
  'allPodsRunning',
  'podsFailing',
  'tolerated',
  'fallbackTime',
] as const satisfies readonly Expectation['type'][];

/** The fields each expectation type allows besides `type`, for strict decoding. */
export const EXPECTATION_FIELDS: Readonly<Record<Expectation['type'], readonly string[]>> = {
  detectedWithin: ['fault', 'within'],
  classifiedAs: ['fault', 'cause'],
  recoveredWithin: ['fault', 'within'],
  pullLatency: ['percentile', 'under'],
  originAmplification: ['atMost'],
  digestDrift: ['detected'],
  allPodsRunning: ['within'],
  podsFailing: ['reason', 'atLeast'],
  tolerated: ['fault'],
  fallbackTime: ['fault', 'under', 'atLeast'],
};
