/**
 * `runScenario`: one scenario from provisioning to reports. The run is a list of actions (see
 * provision.ts) undone in reverse on success, failure, Ctrl-C or a crash — after the analysis and
 * reports, unless `retain` keeps everything up until the signal aborts. Scenario time zero, the
 * time of `run.started`, is when the timeline starts, so provisioning never counts against a
 * scenario's bounds; how long it took is recorded in the environment (`provisionMs`).
 *
 * Every time in the run comes from one run clock (harness/kubelet/run-clock.ts). It is held (1:1)
 * while provisioning and after observation, and may warp over idle time only while the scenario
 * plays; `run.finished` records how it kept time and how late the event loop fired timers.
 */

import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTerminalSummary } from '../../reports/terminal.ts';
import { type ReportPaths, writeReports } from '../../reports/write.ts';
import { describeError, EXIT, PullstormError, UsageError } from '../../vocab/errors.ts';
import { analyze } from '../analyze/analyze.ts';
import { EventLog, readEventLog } from '../analyze/log.ts';
import type { Analysis } from '../analyze/types.ts';
import { ActionStack } from '../backends/actions.ts';
import { untilAborted } from '../backends/embedded/retain.ts';
import { newRunId, runOutDir } from '../backends/names.ts';
import type { Backend } from '../backends/provider.ts';
import { expectedCausesOf } from '../backends/stub-engine.ts';
import type { LogEvent } from '../events/run-events.ts';
import type { RunEvent } from '../events/types.ts';
import { createRunClock } from '../kubelet/run-clock.ts';
import { randomSeed } from '../kubelet/seeded-random.ts';
import type { Scenario } from '../scenario/resolved.ts';
import { type BackendOptions, chooseBackend } from './backend.ts';
import { environmentOf } from './environment.ts';
import { type LoopDelaySampler, sampleLoopDelay } from './loop-delay.ts';
import { type ObserveEnd, observe } from './observe.ts';
import { checkEnvironment, checkRunnable, EnvironmentError } from './preflight.ts';
import { createProgress, type Progress } from './progress.ts';
import { Interrupted } from './signals.ts';
import { startTimeline } from './timeline.ts';

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** The scenario's file, for messages; default none. */
  file?: string;
  /** The run directory; default `<runsDir>/<run-id>`. */
  out?: string;
  /** Where run directories go when `out` is not given; default `./pullstorm-runs`. */
  runsDir?: string;
  /** Keep everything up after the run until `signal` aborts; default false. */
  retain?: boolean;
  /** Ctrl-C, SIGTERM or a crash; default never. */
  signal?: AbortSignal;
  /** Progress view; default one on stderr (live on a TTY). */
  progress?: Progress;
  /** The command line's backend settings (kind's node image, the kubeconfig context…); default none. */
  backend?: BackendOptions;
}

/** How a run ended. */
export interface RunResult {
  runId: string;
  scenario: string;
  outDir: string;
  eventsFile: string;
  analysis: Analysis;
  reports: ReportPaths & { summary: string };
  /** The terminal summary (also in `summary.txt`). */
  summary: string;
  /** 0 pass, 1 an expectation failed, 3 the harness failed, 130 interrupted. */
  exitCode: number;
  /** Why observation ended, when it ran. */
  observed?: ObserveEnd;
  /** What failed in teardown, when something did (the exit code is then 3). */
  teardownError?: string;
}

/** The analysis every command computes from a log, so `pullstorm report` reproduces a run's reports. */
export function analyzeEvents(events: readonly LogEvent[]): Analysis {
  return analyze(events, { expectedCauses: expectedCausesOf });
}

/** Renders every report of `analysis` into `dir`, plus the terminal summary as `summary.txt`. */
export async function renderRun(dir: string, analysis: Analysis) {
  const paths = await writeReports(dir, analysis);
  const summaryFile = join(dir, 'summary.txt');
  const reports = { ...paths, summary: summaryFile };
  const summary = formatTerminalSummary(analysis, reports);
  await writeFile(summaryFile, summary);
  return { reports, summary };
}

/** Runs one scenario; throws ScenarioError (2) or EnvironmentError (3) before provisioning anything. */
export async function runScenario(given: Scenario, options: RunScenarioOptions = {}): Promise<RunResult> {
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
  const stamp = () => new Date(clock.now()).toISOString();
  let backend: Awaited<ReturnType<typeof chooseBackend>>;
  try {
    backend = await chooseBackend(scenario.backend.type, options.backend, (line) => progress.note(line));
    await checkBackend(backend, scenario);
  } catch (error) {
    progress.stop(); // nothing ran: its timer must not redraw over what the caller prints next
    throw error;
  }
  await mkdir(outDir, { recursive: true });
  const log = await EventLog.open(eventsFile);
  const signal = options.signal ?? new AbortController().signal;
  let open = true;
  const emit = (event: RunEvent | LogEvent) => {
    if (!open) return; // after run.finished: teardown's own events are not part of the run
    log.append(event);
    progress.event(event);
  };
  const environment = environmentOf(scenario);
  let started = false;
  const writeStarted = () => {
    if (started) return;
    started = true;
    emit({ kind: 'run.started', time: stamp(), runId, scenario, environment, clock: clock.mode });
  };
  const phase = (name: string) => {
    progress.phase(name);
    if (started) emit({ kind: 'run.phase', time: stamp(), phase: name });
  };
  const stack = new ActionStack();
  const stopTimeline = new AbortController();
  let loopDelay: LoopDelaySampler | undefined;
  let outcome: 'completed' | 'interrupted' | 'error' = 'completed';
  let error: string | undefined;
  let observed: ObserveEnd | undefined;
  try {
    const begun = Date.now();
    phase('provision');
    const cluster = await stack.do(
      {
        name: `provision the ${backend.info().name} backend`,
        async run(aborted) {
          const ctx = {
            runId,
            outDir,
            emit,
            clock,
            signal: aborted,
            log: (line: string) => progress.note(line),
          };
          return { value: await backend.provision(scenario, ctx), undo: () => backend.teardown() };
        },
      },
      signal,
    );
    Object.assign(environment, backend.versions?.(), { provisionMs: String(Date.now() - begun) });
    writeStarted();
    progress.started(() => clock.now());
    phase('workload');
    const timeline = startTimeline({
      scenario,
      cluster,
      applyRegistryFault: (fault) => backend.applyRegistryFault(fault),
      applyNodeFault: (fault) => {
        if (!backend.applyNodeFault)
          throw new RangeError(`backend ${backend.info().name} has no node faults`);
        return backend.applyNodeFault(fault);
      },
      signal: AbortSignal.any([signal, stopTimeline.signal]),
      clock,
    });
    stack.defer('stop the timeline', () => stopTimeline.abort());
    phase('observe');
    const startedAt = clock.now();
    loopDelay = sampleLoopDelay();
    holding?.();
    holding = undefined;
    observed = await observe({ scenario, cluster, timeline, startedAt, signal, clock });
    hold();
    stopTimeline.abort();
    if (observed === 'interrupted') throw signal.reason;
    progress.note(`${scenario.name}: observation ended (${observed})`);
  } catch (thrown) {
    hold();
    stopTimeline.abort();
    const reason = signal.aborted ? signal.reason : thrown;
    outcome = reason instanceof Interrupted ? 'interrupted' : 'error';
    if (outcome === 'error') error = describeError(reason);
    progress.note(
      `${scenario.name}: ${outcome === 'error' ? `harness error: ${error}` : String(reason.message)}`,
    );
  }
  // Out-of-process stubs' last events belong to the run: drain them before it is closed.
  await quiesce(backend, (line) => progress.note(line));
  writeStarted();
  const { mode, ...stats } = clock.stats();
  const timing = { clock: mode, ...stats, eventLoopDelay: loopDelay?.stop() ?? noDelay };
  emit({ kind: 'run.finished', time: stamp(), outcome, ...(error ? { error } : {}), timing });
  open = false;
  await log.close();
  let teardownError: string | undefined;
  const teardown = async () => {
    phase('teardown');
    await stack.undoAll({ onStep: (name) => progress.note(`teardown: undo ${name}`) }).catch((e: unknown) => {
      teardownError = describeError(e);
      progress.note(`teardown failed: ${teardownError} (run pullstorm clean --run-id ${runId})`);
    });
  };
  let analysis: Analysis;
  let rendered: Awaited<ReturnType<typeof renderRun>>;
  try {
    phase('analyze');
    analysis = analyzeEvents(await readEventLog(eventsFile));
    rendered = await renderRun(outDir, analysis);
    // Nothing to keep when provisioning failed: the backend has already undone what it made.
    if (options.retain && outcome !== 'interrupted' && backend.cluster !== undefined) {
      // The verdict now, not after Ctrl-C: a retained run is kept to be looked at.
      const kept =
        backend.retained?.() ?? `retained (Ctrl-C tears everything down):\n  run directory  ${outDir}\n`;
      progress.note(`${rendered.summary}\n${kept.trimEnd()}`);
      await untilAborted(signal);
    }
  } finally {
    // Teardown never depends on the analysis: a failing renderer must not leave daemons behind.
    await teardown();
    clock.close();
  }
  const { reports, summary } = rendered;
  progress.stop();
  return {
    runId,
    scenario: scenario.name,
    outDir,
    eventsFile,
    analysis,
    reports,
    summary,
    exitCode: exitCodeOf(analysis, outcome, teardownError),
    ...(observed ? { observed } : {}),
    ...(teardownError ? { teardownError } : {}),
  };
}

/** 130 interrupted; 3 harness error or failed teardown; else 0 pass / 1 fail. */
function exitCodeOf(analysis: Analysis, outcome: string, teardownError: string | undefined): number {
  if (outcome === 'interrupted') return EXIT.interrupted;
  if (analysis.verdict === 'error' || teardownError) return EXIT.harness;
  return analysis.verdict === 'pass' ? EXIT.ok : EXIT.failed;
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
