/**
 * The `--metrics` file: OpenMetrics text of real analyses (recorded logs), read back with a
 * Prometheus text-format parser, and written by `pullstorm run --metrics` for a real run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, test } from 'vitest';
import { readEventLog } from '../../harness/analyze/log.ts';
import { analyzeEvents } from '../../harness/run/runner.ts';
import { renderOpenMetrics } from '../../reports/openmetrics.ts';

type Families = ReturnType<typeof parsePrometheusTextFormat>;

function sample(families: Families, name: string, labels: Record<string, string>): number | undefined {
  const s = families
    .find((f) => f.name === name)
    ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return s === undefined ? undefined : Number(s.value);
}

describe('run results as OpenMetrics', () => {
  test('carry detection, recovery, latency, failures and verdicts, and end with # EOF', async () => {
    const passing = analyzeEvents(await readEventLog('test/analyze/fixtures/passing.jsonl'));
    const failing = analyzeEvents(await readEventLog('test/analyze/fixtures/failing.jsonl'));
    const text = await renderOpenMetrics([
      { scenario: 'passing', exitCode: 0, analysis: passing },
      { scenario: 'failing', exitCode: 1, analysis: failing },
      { scenario: 'invalid', exitCode: 2 },
    ]);
    expect(text.trimEnd().endsWith('# EOF')).toBe(true);
    const families = parsePrometheusTextFormat(text);
    expect(families.every((f) => f.type === 'GAUGE')).toBe(true);
    const fault = { scenario: 'passing', fault_id: 'rate-limit-0' };
    expect(sample(families, 'pullstorm_fault_detection_seconds', fault)).toBe(1.05);
    expect(sample(families, 'pullstorm_fault_recovery_seconds', fault)).toBe(40.12);
    expect(sample(families, 'pullstorm_fault_failures', { ...fault, cause: 'rate-limited' })).toBe(9);
    expect(
      sample(families, 'pullstorm_pull_latency_seconds', { scenario: 'passing', quantile: '0.95' }),
    ).toBe(0.12);
    expect(sample(families, 'pullstorm_run_verdict', { scenario: 'failing', verdict: 'fail' })).toBe(1);
    expect(
      sample(families, 'pullstorm_fault_detected', { scenario: 'failing', fault_id: 'tls-unknown-ca-0' }),
    ).toBe(0);
    expect(
      sample(families, 'pullstorm_fault_detection_seconds', {
        scenario: 'failing',
        fault_id: 'tls-unknown-ca-0',
      }),
    ).toBeUndefined();
    expect(sample(families, 'pullstorm_run_exit_code', { scenario: 'invalid' })).toBe(2);
  });

  test('pullstorm run --metrics writes the file for a real run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullstorm-metrics-'));
    try {
      const scenario = join(dir, 'quota.yaml');
      await writeFile(
        scenario,
        [
          'apiVersion: pullstorm.dev/v1alpha1',
          'kind: Scenario',
          'name: quota-virtual',
          'description: A quota on three virtual nodes',
          'backend: { nodes: [{ name: a, kind: virtual }, { name: b, kind: virtual }] }',
          'registries: [{ name: hub, fixtures: { include: [tiny] } }]',
          'workload: [{ kind: deployment, name: web, image: hub/pullstorm/tiny:1.0, replicas: 4, imagePullPolicy: Always }]',
          'faults: [{ id: quota, fault: rate-limit, options: { limit: 1, windowSeconds: 3600, style: generic }, at: 0s, for: 1m }]',
          'expectations: [{ type: detectedWithin, fault: quota, within: 30s }]',
          'timeout: 10m',
        ].join('\n'),
      );
      const file = join(dir, 'out', 'results.prom');
      await promisify(execFile)(process.execPath, [
        'harness/cli/main.ts',
        'run',
        scenario,
        '--out',
        join(dir, 'run'),
        '--metrics',
        file,
      ]);
      const families = parsePrometheusTextFormat(await readFile(file, 'utf8'));
      expect(sample(families, 'pullstorm_run_verdict', { scenario: 'quota-virtual', verdict: 'pass' })).toBe(
        1,
      );
      expect(
        sample(families, 'pullstorm_fault_detected', { scenario: 'quota-virtual', fault_id: 'quota' }),
      ).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
