/**
 * The analysis of one run: a pure function of its event log (and the scenario in `run.started`).
 * Reports render only this. Durations are scenario time, taken from the log's timestamps: what a real
 * cluster would show for the same run. Under the `warp` clock idle time was skipped (the clock jumped
 * to the next timer), not scaled, so a 5 min backoff reads 5 min. Only a legacy log written under the
 * old `timeScale` N holds compressed durations; `run.legacyTimeScale` says so and reports warn.
 */

import type { RunTiming } from '../events/run-events.ts';
import type { KubeEvent } from '../events/types.ts';
import type { MirrorMeasures } from './mirrors.ts';

/** Version of this shape; bumped on any incompatible change (report.json carries it). */
export const ANALYSIS_SCHEMA_VERSION = 2;

/** A duration in scenario time (an object so a later field can join it without a schema break). */
export interface Span {
  ms: number;
}

/** Percentiles of a set of durations; null fields when there were no samples. */
export interface Percentiles {
  count: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** How one fault of the timeline was seen. */
export interface FaultAnalysis {
  id: string;
  fault: string;
  /** Offsets from the run start; `planned` (optional) when taken from the scenario, the log having no fault.applied. */
  window: { startMs: number; endMs: number | null; planned?: true };
  /** Causes a client should show for this fault (from the fault catalogue). */
  expectedCauses: string[];
  /** Pods with a failure classified as an expected cause inside the window. */
  affectedPods: string[];
  /** Fault start → first matching classified event, per pod and summarised; null when never detected. */
  detection: {
    first: Span;
    median: Span;
    last: Span;
    perPod: { pod: string; ms: number }[];
  } | null;
  /** Failures inside the window, by cause (`unclassified` included). */
  classification: {
    counts: Record<string, number>;
    matching: number;
    misclassified: number;
    unclassified: number;
  };
  /**
   * Pods with any failure inside the window, matching or not (optional; absent in older analyses).
   * Recovery waits for all of them, so a misclassified fault still has a recovery time.
   */
  failedPods?: string[];
  /** Failed pods never running again by the end of the run (optional; set once the fault cleared). */
  unrecoveredPods?: string[];
  /** Fault end → every failed pod running; null when not recovered (or never cleared); 0 when none failed. */
  recovery: Span | null;
  /**
   * kubelet's backoff when the fault cleared: the longest wait a pod had left, which bounds recovery,
   * and the largest step, in ms. Null when no pod had failed.
   */
  backoffAtClear: {
    maxRemainingMs: number;
    maxStepMs: number;
  } | null;
  /** Set when a `tolerated` expectation names this fault (or every fault): what the tolerance was. */
  tolerance?: Tolerance;
}

/** What a fault the scenario expects to be tolerated did (harness/analyze/tolerance.ts). */
export interface Tolerance {
  /** Pods with any failure while the fault was applied; empty when it was tolerated. */
  failedPods: string[];
  /** Registries that answered requests (status below 400) while it was applied, most first. */
  servedBy: { registry: string; requests: number }[];
}

/** One kind of failure seen in the run, with its cause and fix. */
export interface FailureGroup {
  cause: string;
  title: string;
  remediation: string;
  count: number;
  pods: string[];
  /** One full example message and the evidence extracted from it. */
  example: string;
  evidence: string[];
}

/** One pod's life: its states over time and its describe-like event list. */
export interface PodTimeline {
  pod: string;
  node: string;
  image: string;
  /** State changes, offsets from the run start. */
  states: { atMs: number; phase: string; reason?: string; message?: string }[];
  events: KubeEvent[];
  final: { phase: string; reason?: string };
  /** The last pull error text, exactly as kubelet showed it. */
  lastError?: string;
  /** Image digest the pod runs, when running. */
  digest?: string;
}

/** Registry load as the stub saw it. */
export interface RegistryLoad {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  byClient: Record<string, { requests: number; bytes: number; tooManyRequests: number }>;
  bytesServed: number;
  tooManyRequests: number;
  /**
   * Requests per second by HTTP status code (`"200"`, `"429"`: a class would hide a 429 wall among
   * 404s), one entry per second from the run start to the last request, empty seconds included.
   */
  perSecond: { second: number; byStatus: Record<string, number> }[];
  /**
   * Blob bytes served by the origin (GET 200/206 on `/v2/<name>/blobs/<digest>` by a registry that
   * is not a scenario mirror) ÷ bytes of the distinct blobs served (1.0 = perfect cache); null
   * when no blob was served.
   */
  originBlobBytes: number;
  uniqueBlobBytes: number;
  amplification: number | null;
}

/** For each tag pulled, which digest each node resolved. */
export interface DigestDrift {
  tags: { reference: string; digestsByNode: Record<string, string>; drift: boolean }[];
  detected: boolean;
}

/** One expectation with its outcome. */
export interface ExpectationResult {
  /** The expectation as resolved in the scenario. */
  expectation: { type: string } & Record<string, unknown>;
  /** Human sentence, e.g. `rate limit detected within 30s`. */
  description: string;
  passed: boolean;
  expected: string;
  actual: string;
  /**
   * False when the run was interrupted before the expectation had its time (`passed` is then false
   * and `actual` is what was measured up to the interruption); absent when it was judged.
   */
  evaluated?: false;
}

/** Everything a report shows. */
export interface Analysis {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  run: {
    id: string;
    scenario: string;
    description: string;
    backend: string;
    startedAt: string;
    finishedAt: string | null;
    durationMs: number;
    /**
     * How scenario time passed: `warp` (idle time skipped), `real` (1:1 throughout, also any log
     * that does not say), or `scaled` (a legacy log written under the old `timeScale`, whose
     * durations are compressed by `legacyTimeScale` and are not real-time equivalents).
     */
    clock: 'warp' | 'real' | 'scaled';
    /** The kubelet model's seed (`backend.seed`): `--seed` with it replays the run's draws. */
    seed?: number;
    /** The old time scale N of a `scaled` log (optional; only then). */
    legacyTimeScale?: number;
    /** How faithfully the run clock kept time (`run.finished.timing`); null when the log lacks it. */
    timing: RunTiming | null;
    outcome: 'completed' | 'interrupted' | 'error' | 'unknown';
    error?: string;
    environment: Record<string, string>;
  };
  faults: FaultAnalysis[];
  pulls: { attempts: number; succeeded: number; failed: number; latency: Percentiles };
  failures: FailureGroup[];
  pods: PodTimeline[];
  registry: RegistryLoad;
  /** What each scenario mirror did (harness/analyze/mirrors.ts); absent without mirrors. */
  mirrors?: MirrorMeasures[];
  drift: DigestDrift;
  expectations: ExpectationResult[];
  /**
   * pass: every expectation held; fail: one did not; error: the harness itself failed;
   * interrupted: stopped from outside (Ctrl-C, SIGTERM) before its expectations were judged.
   */
  verdict: 'pass' | 'fail' | 'error' | 'interrupted';
}
