/**
 * The phases of one run, in the order runner.ts calls them: prepare (checks, run id, directory,
 * clock) → pick the backend → open the event log → provision → play the timeline and observe (or
 * end early) → close the log. The analysis, reports and teardown follow in runner.ts. The phases
 * share one `RunState`: what the run is, its clock and log, and how it has gone so far.
 */
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, EXIT, PullstormError, UsageError } from '../../vocab/errors.ts';
import { EventLog } from '../analyze/log.ts';
import { ActionStack } from '../backends/actions.ts';
import { newRunId, runOutDir } from '../backends/names.ts';
import type { Backend, BackendCluster } from '../backends/provider.ts';
import type { LogEvent } from '../events/run-events.ts';
import type { RunEvent } from '../events/types.ts';
import { createRunClock, type RunClock } from '../kubelet/run-clock.ts';
import { randomSeed } from '../kubelet/seeded-random.ts';
import type { Scenario } from '../scenario/resolved.ts';
import { type BackendOptions, chooseBackend } from './backend.ts';
import { environmentOf } from './environment.ts';
import { type LoopDelaySampler, sampleLoopDelay } from './loop-delay.ts';
import { type ObserveEnd, observe } from './observe.ts';
import { checkEnvironment, checkRunnable, EnvironmentError } from './preflight.ts';
import { createProgress, type Progress } from './progress.ts';
import { scenarioRecord } from './scenario-record.ts';
import { Interrupted } from './signals.ts';
import { startTimeline } from './timeline.ts';

/** A run checked and named, with its clock held, before anything is provisioned. */
interface PreparedRun {
  scenario: Scenario;
  runId: string;
  outDir: string;
  eventsFile: string;
  progress: Progress;
  clock: RunClock;
  /** Holds the clock at 1:1 (again); idempotent. */
  hold(): void;
  /** Lets the clock warp over idle time: only while the scenario plays. */
  release(): void;
}

/** What every phase after `openRun` shares. */
export interface RunState extends PreparedRun {
  backend: Backend;
  signal: AbortSignal;
  log: EventLog;
  stack: ActionStack;
  /** Ends the timeline when observation ends, or the run fails or is interrupted. */
  stopTimeline: AbortController;
  environment: Record<string, string>;
  /** Appends to the log and shows progress, until the log is closed. */
  emit(event: RunEvent | LogEvent): void;
  /** Writes `run.started` (scenario time zero) once. */
  writeStarted(): void;
  /** Enters a phase of the progress view, and of the log once the run has started. */
  phase(name: string): void;
  /** The run clock's now as an ISO time. */
  stamp(): string;
  /** Set by `closeLog`: teardown's own events are not part of the run. */
  closed: boolean;
  outcome: 'completed' | 'interrupted' | 'error';
  error?: string;
  observed?: ObserveEnd;
  loopDelay?: LoopDelaySampler;
}

/** Checks, names and dates the run: everything that can refuse it before a backend is chosen. */
export async function prepareRun(
  given: Scenario,
  options: { file?: string; out?: string; runsDir?: string; progress?: Progress },
): Promise<PreparedRun> {
  const scenario = seeded(realTime(given));
  checkRunnable(scenario, options.file);
  await checkEnvironment(scenario);
  const runId = newRunId(scenario.name);
  const outDir = runOutDir(runId, options.out, options.runsDir);
  const eventsFile = join(outDir, 'events.jsonl');
  if (
    await access(eventsFile).then(
      () => true,
      () => false,
    )
  ) {
    throw new UsageError(`--out ${outDir} already holds a run (events.jsonl); choose another directory`);
  }
  const progress = options.progress ?? createProgress({ scenario: scenario.name });
  if (scenario.backend.clock !== given.backend.clock) {
    progress.note(
      `${scenario.name}: clock warp ignored: a real kubelet (${scenario.backend.type}) runs in real time`,
    );
  }
  const clock = createRunClock(scenario.backend.clock);
  // Provisioning is real work: nothing may warp until the timeline starts.
  let holding: (() => void) | undefined = clock.begin();
  const hold = () => {
    holding ??= clock.begin();
  };
  const release = () => {
    holding?.();
    holding = undefined;
  };
  return { scenario, runId, outDir, eventsFile, progress, clock, hold, release };
}

/** Chooses the backend and runs its pre-provision check; a refusal stops the progress view. */
export async function pickBackend(run: PreparedRun, options: BackendOptions | undefined): Promise<Backend> {
  const { scenario, progress } = run;
  try {
    const backend = await chooseBackend(scenario.backend.type, options, (line) => progress.note(line));
    await checkBackend(backend, scenario);
    return backend;
  } catch (error) {
    progress.stop(); // nothing ran: its timer must not redraw over what the caller prints next
    throw error;
  }
}

/** Opens the run's directory and event log; from here on, the run's events have a place. */
export async function openRun(
  prepared: PreparedRun,
  backend: Backend,
  given: AbortSignal | undefined,
): Promise<RunState> {
  await mkdir(prepared.outDir, { recursive: true });
  const { scenario, runId, clock, progress } = prepared;
  const record = scenarioRecord(scenario);
  const log = await EventLog.open(prepared.eventsFile, { secrets: record.secrets });
  let started = false;
  const run: RunState = {
    ...prepared,
    backend,
    signal: given ?? new AbortController().signal,
    log,
    stack: new ActionStack(),
    stopTimeline: new AbortController(),
    environment: environmentOf(scenario),
    closed: false,
    outcome: 'completed',
    emit(event) {
      if (run.closed) return; // after run.finished: teardown's own events are not part of the run
      log.append(event);
      progress.event(event);
    },
    writeStarted() {
      if (started) return;
      started = true;
      run.emit({
        kind: 'run.started',
        time: run.stamp(),
        runId,
        scenario: record.scenario,
        environment: run.environment,
        clock: clock.mode,
      });
    },
    phase(name) {
      progress.phase(name);
      if (started) run.emit({ kind: 'run.phase', time: run.stamp(), phase: name });
    },
    stamp: () => new Date(clock.now()).toISOString(),
  };
  return run;
}

/** Provisions the backend as the run's first action, so teardown undoes it; records how long it took. */
export async function provision(run: RunState): Promise<BackendCluster> {
  const { backend, scenario, progress } = run;
  const begun = Date.now();
  run.phase('provision');
  const cluster = await run.stack.do(
    {
      name: `provision the ${backend.info().name} backend`,
      async run(aborted) {
        const ctx = {
          runId: run.runId,
          outDir: run.outDir,
          emit: run.emit,
          clock: run.clock,
          signal: aborted,
          log: (line: string) => progress.note(line),
        };
        return { value: await backend.provision(scenario, ctx), undo: () => backend.teardown() };
      },
    },
    run.signal,
  );
  Object.assign(run.environment, backend.versions?.(), { provisionMs: String(Date.now() - begun) });
  return cluster;
}

/** Scenario time zero: starts the timeline (workload and faults) and observes until the run settles. */
export async function play(run: RunState, cluster: BackendCluster): Promise<void> {
  const { backend, scenario, clock, signal, progress } = run;
  run.writeStarted();
  progress.started(() => clock.now());
  run.phase('workload');
  const timeline = startTimeline({
    scenario,
    cluster,
    applyRegistryFault: (fault) => backend.applyRegistryFault(fault),
    applyNodeFault: (fault) => {
      if (!backend.applyNodeFault) throw new RangeError(`backend ${backend.info().name} has no node faults`);
      return backend.applyNodeFault(fault);
    },
    signal: AbortSignal.any([signal, run.stopTimeline.signal]),
    clock,
  });
  run.stack.defer('stop the timeline', () => run.stopTimeline.abort());
  run.phase('observe');
  const startedAt = clock.now();
  run.loopDelay = sampleLoopDelay();
  run.release();
  run.observed = await observe({ scenario, cluster, timeline, startedAt, signal, clock });
  run.hold();
  run.stopTimeline.abort();
  if (run.observed === 'interrupted') throw signal.reason;
  progress.note(`${scenario.name}: observation ended (${run.observed})`);
}

/** A run that failed or was interrupted: the clock held again, the timeline stopped, the reason kept. */
export function endEarly(run: RunState, thrown: unknown): void {
  run.hold();
  run.stopTimeline.abort();
  const reason = run.signal.aborted ? run.signal.reason : thrown;
  run.outcome = reason instanceof Interrupted ? 'interrupted' : 'error';
  if (run.outcome === 'error') run.error = describeError(reason);
  run.progress.note(
    `${run.scenario.name}: ${run.outcome === 'error' ? `harness error: ${run.error}` : String(reason.message)}`,
  );
}

/** Drains the stubs' last events, writes `run.finished` with the clock's figures, and closes the log. */
export async function closeLog(run: RunState): Promise<void> {
  // Out-of-process stubs' last events belong to the run: drain them before it is closed.
  await quiesce(run.backend, (line) => run.progress.note(line));
  run.writeStarted();
  const { mode, ...stats } = run.clock.stats();
  const timing = { clock: mode, ...stats, eventLoopDelay: run.loopDelay?.stop() ?? noDelay };
  const { outcome, error } = run;
  run.emit({ kind: 'run.finished', time: run.stamp(), outcome, ...(error ? { error } : {}), timing });
  run.closed = true;
  await run.log.close();
}

/** Undoes the run's actions in reverse; resolves with what failed, never throws (the exit code says it). */
export async function teardownRun(run: RunState): Promise<string | undefined> {
  run.phase('teardown');
  let teardownError: string | undefined;
  await run.stack
    .undoAll({ onStep: (name) => run.progress.note(`teardown: undo ${name}`) })
    .catch((e: unknown) => {
      teardownError = describeError(e);
      run.progress.note(`teardown failed: ${teardownError} (run pullstorm clean --run-id ${run.runId})`);
    });
  return teardownError;
}

/** Runs the backend's pre-provision check; input problems exit 2, an unreachable cluster 3. */
async function checkBackend(backend: Backend, scenario: Scenario): Promise<void> {
  try {
    await backend.check?.(scenario);
  } catch (error) {
    if (
      error instanceof RangeError ||
      error instanceof TypeError ||
      (error instanceof PullstormError && error.exitCode === EXIT.usage)
    )
      throw new UsageError((error as Error).message);
    throw new EnvironmentError(`backend ${backend.info().name}: ${describeError(error)}`, { cause: error });
  }
}

/** `backend.quiesce()`, bounded (30 s) and never failing the run: a lost drain is a note. */
async function quiesce(backend: Backend, note: (line: string) => void): Promise<void> {
  if (!backend.quiesce) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      note(
        "the last drain of the stubs' events did not finish within 30 s; the log may miss their final requests",
      );
      resolve();
    }, 30_000);
  });
  await Promise.race([
    backend
      .quiesce()
      .catch((e: unknown) => note(`the last drain of the stubs' events failed: ${describeError(e)}`)),
    expired,
  ]).finally(() => clearTimeout(timer));
}

/**
 * `scenario` as it runs on its backend: a real kubelet (kind, an existing cluster) cannot be warped,
 * so its clock is `real` whatever the file or `--clock` says; the run records the one used.
 */
function realTime(scenario: Scenario): Scenario {
  const { type, clock } = scenario.backend;
  if (type === 'containerd' || clock === 'real') return scenario;
  return { ...scenario, backend: { ...scenario.backend, clock: 'real' } };
}

/** The scenario with its run's seed: its own, or a new one, recorded in run.started for a replay. */
function seeded(scenario: Scenario): Scenario {
  if (scenario.backend.seed !== undefined || scenario.backend.type !== 'containerd') return scenario;
  return { ...scenario, backend: { ...scenario.backend, seed: randomSeed() } };
}

/** The event-loop figures of a run that never reached its timeline. */
const noDelay = { p50Ms: 0, p99Ms: 0, maxMs: 0 };
