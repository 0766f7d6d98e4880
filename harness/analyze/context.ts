/**
 * One pass over the log that every measure reads from: the run's start (time zero), its clock,
 * each pod's states, events and failures, and the registry's requests. A failed pull shows up twice
 * on backends that report both (a `pull.attempt` and kubelet's `Failed` event with the same text);
 * it is counted once, as the event, because that is the text an operator sees in `describe pod`.
 */
import { type CauseId, classify, classifyEvent } from '../classify/index.ts';
import type { LogEvent, RunFinished, RunStarted } from '../events/run-events.ts';
import type { KubeEvent, MirrorStoreError, PodState, PullAttempt, RegistryRequest } from '../events/types.ts';
import type { Scenario } from '../scenario/resolved.ts';
import { epochMs } from './time.ts';

/** One classified failure of one pod. */
export interface Failure {
  pod: string;
  node?: string;
  /** Offset from the run's start. */
  atMs: number;
  /** The text as shown: the event message, or the attempt's error when no event carried it. */
  text: string;
  cause: CauseId;
  source: 'event' | 'attempt';
}

/** A pod state with its offset. */
export interface StateAt {
  atMs: number;
  phase: string;
  reason?: string;
  message?: string;
  digest?: string;
}

/** Everything the log says about one pod. */
export interface PodRecord {
  pod: string;
  node?: string;
  image?: string;
  states: StateAt[];
  events: KubeEvent[];
  failures: Failure[];
  /** Offsets of `Pulling` events not yet followed by `Pulled`. */
  pullingAtMs: number[];
  /** Pulling → Pulled durations from events. */
  eventLatencies: number[];
  attempts: PullAttempt[];
}

/** The indexed log. */
export interface RunContext {
  started?: RunStarted;
  finished?: RunFinished;
  scenario?: Scenario;
  /** Epoch ms of time zero: `run.started`, else the first event. */
  t0: number;
  /** Offset of the last event (or `run.finished`). */
  endMs: number;
  /** How scenario time passed (see `Analysis['run']['clock']`). */
  clock: 'warp' | 'real' | 'scaled';
  /** The old `timeScale` of a legacy `scaled` log; its durations are compressed by it. */
  legacyTimeScale?: number;
  /** Pods by name (namespaces are not told apart: `pull.attempt` does not carry one). */
  pods: Map<string, PodRecord>;
  /** Every failure, by offset. */
  failures: Failure[];
  attempts: PullAttempt[];
  requests: { atMs: number; request: RegistryRequest }[];
  faultChanges: { atMs: number; kind: 'fault.applied' | 'fault.cleared'; id: string; fault: string }[];
  /** What real mirrors logged as failing to store (`mirror.store-error`). */
  mirrorStoreErrors: MirrorStoreError[];
}

const combined = '(combined from similar events): ';
const failedPull = /^Failed to pull image "[^"]*": /;

/** The error part of a Failed event's message, for matching it with its pull attempt. */
function errorText(message: string): string {
  const text = message.startsWith(combined) ? message.slice(combined.length) : message;
  return text.replace(failedPull, '');
}

function record(pods: Map<string, PodRecord>, pod: string): PodRecord {
  let rec = pods.get(pod);
  if (rec === undefined) {
    rec = { pod, states: [], events: [], failures: [], pullingAtMs: [], eventLatencies: [], attempts: [] };
    pods.set(pod, rec);
  }
  return rec;
}

/** Epoch ms of each event, and the indexes in time order (stable); the log is usually in order already. */
function chronological(events: readonly LogEvent[]): { ms: Float64Array; order: number[] | null } {
  const ms = new Float64Array(events.length);
  let sorted = true;
  for (let i = 0; i < events.length; i++) {
    ms[i] = epochMs(events[i]!.time);
    if (i > 0 && ms[i]! < ms[i - 1]!) sorted = false;
  }
  const order = sorted ? null : Array.from(events.keys()).sort((a, b) => ms[a]! - ms[b]! || a - b);
  return { ms, order };
}

/** Indexes `events` (any order) for analysis. */
export function indexEvents(events: readonly LogEvent[]): RunContext {
  const { ms: times, order } = chronological(events);
  const at = (i: number) => order?.[i] ?? i;
  const started = events.find((e): e is RunStarted => e.kind === 'run.started');
  const finished = events.findLast((e): e is RunFinished => e.kind === 'run.finished');
  const t0 = started !== undefined ? epochMs(started.time) : events.length === 0 ? 0 : times[at(0)]!;
  const last = events.length === 0 ? t0 : times[at(events.length - 1)]!;
  const ctx: RunContext = {
    t0,
    endMs: (finished !== undefined ? epochMs(finished.time) : last) - t0,
    clock: started?.clock ?? scenarioClock(started) ?? 'real',
    pods: new Map(),
    failures: [],
    attempts: [],
    requests: [],
    faultChanges: [],
    mirrorStoreErrors: [],
  };
  if (started !== undefined) ctx.started = started;
  if (finished !== undefined) ctx.finished = finished;
  if (started?.scenario !== undefined) ctx.scenario = started.scenario;
  if (started?.clock === undefined && scenarioClock(started) === undefined) {
    const legacy = legacyTimeScale(started, events);
    if (legacy !== undefined) {
      ctx.clock = 'scaled';
      ctx.legacyTimeScale = legacy;
    }
  }
  const eventFailures = new Map<string, number[]>();
  const attemptFailures: { rec: PodRecord; attempt: PullAttempt; atMs: number }[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[at(i)]!;
    const atMs = times[at(i)]! - t0;
    switch (event.kind) {
      case 'k8s.event':
        if (event.involvedObject.kind === 'Pod') podEvent(ctx, event, atMs, eventFailures);
        else if (event.involvedObject.kind !== 'Node') controllerEvent(ctx, event, atMs);
        break;
      case 'pod.state':
        podState(record(ctx.pods, event.pod), event, atMs);
        break;
      case 'pull.attempt': {
        ctx.attempts.push(event);
        const rec = record(ctx.pods, event.pod ?? `${event.node}/${event.image}`);
        rec.node ??= event.node;
        rec.image ??= event.image;
        rec.attempts.push(event);
        if (!event.ok) attemptFailures.push({ rec, attempt: event, atMs });
        break;
      }
      case 'registry.request':
        ctx.requests.push({ atMs, request: event });
        break;
      case 'fault.applied':
      case 'fault.cleared':
        ctx.faultChanges.push({ atMs, kind: event.kind, id: event.id, fault: event.fault });
        break;
      case 'mirror.store-error':
        ctx.mirrorStoreErrors.push(event);
        break;
    }
  }
  for (const { rec, attempt, atMs } of attemptFailures) {
    const text = attempt.error ?? 'pull failed';
    // Its Failed event normally follows within the same millisecond; a second of slack absorbs clocks.
    const seen = eventFailures.get(`${rec.pod}\u0000${text}`);
    if (seen?.some((t) => Math.abs(t - atMs) <= 1_000)) continue;
    const failure: Failure = { pod: rec.pod, atMs, text, cause: classify(text).cause, source: 'attempt' };
    if (rec.node !== undefined) failure.node = rec.node;
    rec.failures.push(failure);
  }
  for (const rec of ctx.pods.values()) {
    rec.failures.sort((a, b) => a.atMs - b.atMs);
    for (const failure of rec.failures) failure.node ??= rec.node;
    ctx.failures.push(...rec.failures);
  }
  ctx.failures.sort((a, b) => a.atMs - b.atMs);
  return ctx;
}

/** The clock the resolved scenario asked for (`backend.clock`), when `run.started` does not say. */
function scenarioClock(started: RunStarted | undefined): 'warp' | 'real' | undefined {
  const clock = (started?.scenario as { backend?: Record<string, unknown> } | undefined)?.backend?.clock;
  return clock === 'warp' || clock === 'real' ? clock : undefined;
}

/** A number > 1 at `value`, else undefined. */
function scale(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 1 ? value : undefined;
}

/**
 * The time scale N of a log written before the run clock: kubelet's timers then ran N× faster and
 * every duration in the log is compressed by N. The scenario carried it (`backend.timeScale`), and
 * events of such runs were stamped with it; neither field exists in today's types, so both are read
 * from the raw objects.
 */
function legacyTimeScale(started: RunStarted | undefined, events: readonly LogEvent[]): number | undefined {
  const backend = (started?.scenario as { backend?: Record<string, unknown> } | undefined)?.backend;
  const fromScenario = scale(backend?.timeScale);
  if (fromScenario !== undefined || started !== undefined) return fromScenario;
  for (const event of events) {
    if (event.kind !== 'k8s.event') continue;
    const stamped = scale((event as unknown as Record<string, unknown>).timeScale);
    if (stamped !== undefined) return stamped;
  }
  return undefined;
}

function podEvent(
  ctx: RunContext,
  event: KubeEvent,
  atMs: number,
  eventFailures: Map<string, number[]>,
): void {
  const rec = record(ctx.pods, event.involvedObject.name);
  rec.events.push(event);
  if (event.source.component === 'kubelet' && event.source.host) rec.node ??= event.source.host;
  const read = classifyEvent(event);
  if (read.image !== undefined) rec.image ??= read.image;
  if (read.role === 'pulling') rec.pullingAtMs.push(atMs);
  if (read.role === 'pulled' && event.message.startsWith('Successfully pulled')) {
    const start = rec.pullingAtMs.pop();
    if (start !== undefined) rec.eventLatencies.push(atMs - start);
    rec.pullingAtMs = [];
  }
  if (read.role !== 'failed' || read.classification === undefined) return;
  const failure: Failure = {
    pod: rec.pod,
    atMs,
    text: event.message,
    cause: read.classification.cause,
    source: 'event',
  };
  rec.failures.push(failure);
  const key = `${rec.pod}\u0000${errorText(event.message)}`;
  const times = eventFailures.get(key);
  if (times === undefined) eventFailures.set(key, [atMs]);
  else times.push(atMs);
}

/**
 * A ReplicaSet's or Deployment's event. A pod the API server refuses (PodSecurity, quota, a
 * webhook) is never created, so its controller's `FailedCreate` is the only trace: it counts as a
 * failure of `<Kind>/<name>`, classified like any other, so the run shows why no pod appeared.
 */
function controllerEvent(ctx: RunContext, event: KubeEvent, atMs: number): void {
  const read = classifyEvent(event);
  if (read.role !== 'failed' || read.classification === undefined) return;
  ctx.failures.push({
    pod: `${event.involvedObject.kind}/${event.involvedObject.name}`,
    atMs,
    text: event.message,
    cause: read.classification.cause,
    source: 'event',
  });
}

function podState(rec: PodRecord, event: PodState, atMs: number): void {
  rec.node = event.node;
  rec.image ??= event.image;
  const state: StateAt = { atMs, phase: event.phase };
  if (event.reason !== undefined) state.reason = event.reason;
  if (event.message !== undefined) state.message = event.message;
  if (event.imageDigest !== undefined) state.digest = event.imageDigest;
  rec.states.push(state);
}

/** True when the state is a running container (phase Running and no waiting reason). */
export function isRunning(state: StateAt | undefined): boolean {
  return state !== undefined && state.phase === 'Running' && state.reason === undefined;
}
