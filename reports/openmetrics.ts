/**
 * `pullstorm run --metrics FILE`: the results of a run (or a suite) as OpenMetrics text, for trend
 * dashboards: a CI job pushes the file to a Pushgateway or a textfile collector and Grafana plots
 * detection and recovery times per scenario and fault across commits. Gauges only: every value
 * is a measurement of one run, not a counter that grows across runs. Rendered by prom-client in
 * its OpenMetrics mode, so the exposition rules (escaping, `# EOF`) are the library's.
 */
import { Gauge, type OpenMetricsContentType, Registry } from 'prom-client';
import type { Analysis } from '../harness/analyze/types.ts';

/** One run to render: its analysis (an errored scenario that never ran has none). */
export interface MetricsRun {
  scenario: string;
  exitCode: number;
  analysis?: Analysis;
}

const VERDICTS = ['pass', 'fail', 'error', 'interrupted'] as const;

/** OpenMetrics text of `runs`: detection, recovery, pull latency, verdicts and expectations. */
export async function renderOpenMetrics(runs: readonly MetricsRun[]): Promise<string> {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const exit = gauge(
    'pullstorm_run_exit_code',
    'Exit code of the scenario (0 pass, 1 failed, 2 usage, 3 harness, 130 interrupted)',
    ['scenario'],
  );
  const verdict = gauge(
    'pullstorm_run_verdict',
    'Verdict of the run: 1 for the verdict it had, 0 for the others',
    ['scenario', 'verdict'],
  );
  const duration = gauge('pullstorm_run_duration_seconds', 'Scenario time the run covered', ['scenario']);
  const detection = gauge(
    'pullstorm_fault_detection_seconds',
    'Fault start to its first correctly classified failure (absent: never detected)',
    ['scenario', 'fault', 'fault_id'],
  );
  const detected = gauge('pullstorm_fault_detected', '1 when the fault was detected, 0 when not', [
    'scenario',
    'fault',
    'fault_id',
  ]);
  const recovery = gauge(
    'pullstorm_fault_recovery_seconds',
    'Fault end to every pod it failed running again (absent: not recovered)',
    ['scenario', 'fault', 'fault_id'],
  );
  const failures = gauge(
    'pullstorm_fault_failures',
    'Pull failures inside the fault window by classified cause',
    ['scenario', 'fault_id', 'cause'],
  );
  const latency = gauge(
    'pullstorm_pull_latency_seconds',
    'Pull latency of successful pulls by quantile (0.5, 0.9, 0.95, 0.99, 1 = max)',
    ['scenario', 'quantile'],
  );
  const pulls = gauge('pullstorm_pulls', 'Pull attempts by result', ['scenario', 'result']);
  const amplification = gauge(
    'pullstorm_origin_amplification_ratio',
    'Origin blob bytes over unique blob bytes (1 = perfect cache)',
    ['scenario'],
  );
  const expectation = gauge('pullstorm_expectation_passed', '1 when the expectation held, 0 when not', [
    'scenario',
    'expectation',
  ]);

  for (const { scenario, exitCode, analysis: a } of runs) {
    exit.set({ scenario }, exitCode);
    if (a === undefined) continue;
    for (const v of VERDICTS) verdict.set({ scenario, verdict: v }, a.verdict === v ? 1 : 0);
    duration.set({ scenario }, a.run.durationMs / 1000);
    for (const f of a.faults) {
      const labels = { scenario, fault: f.fault, fault_id: f.id };
      detected.set(labels, f.detection === null ? 0 : 1);
      if (f.detection !== null) detection.set(labels, f.detection.first.ms / 1000);
      if (f.recovery !== null) recovery.set(labels, f.recovery.ms / 1000);
      for (const [cause, count] of Object.entries(f.classification.counts)) {
        failures.set({ scenario, fault_id: f.id, cause }, count);
      }
    }
    const l = a.pulls.latency;
    const quantiles: [string, number | null][] = [
      ['0.5', l.p50],
      ['0.9', l.p90],
      ['0.95', l.p95],
      ['0.99', l.p99],
      ['1', l.max],
    ];
    for (const [quantile, ms] of quantiles) if (ms !== null) latency.set({ scenario, quantile }, ms / 1000);
    pulls.set({ scenario, result: 'succeeded' }, a.pulls.succeeded);
    pulls.set({ scenario, result: 'failed' }, a.pulls.failed);
    if (a.registry.amplification !== null) amplification.set({ scenario }, a.registry.amplification);
    for (const e of a.expectations)
      expectation.set({ scenario, expectation: e.description }, e.passed ? 1 : 0);
  }
  return registry.metrics();
}
