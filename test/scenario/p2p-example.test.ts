/**
 * The P2P (Spegel) example as far as it can be checked without kind: the scenario loads and is
 * runnable on the kubeconfig backend, its nodes are the kind cluster's workers, the cluster config
 * carries Spegel's containerd settings, and the workflow installs Spegel's chart only for the
 * `spegel` leg, runs this scenario in both, and compares the two reports with scripts/compare-runs.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioContext } from '../../harness/backends/stub-engine.ts';
import { checkRunnable } from '../../harness/run/preflight.ts';
import { loadScenarioFile } from '../../harness/scenario/load.ts';
import { compareReports, parseRunArgs, type ReportSummary } from '../../scripts/compare-runs.ts';

const file = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const SCENARIO = 'scenarios/examples/p2p/spegel-storm.yaml';

interface Step {
  name?: string;
  run?: string;
  if?: string;
  uses?: string;
}

describe('the Spegel example (written, not run here: no kind)', () => {
  it('loads, and is runnable on the kubeconfig backend as written', async () => {
    const scenario = await loadScenarioFile(file(SCENARIO), scenarioContext());
    expect(scenario.backend.type).toBe('kubeconfig');
    expect(() => checkRunnable(scenario, SCENARIO)).not.toThrow();
    expect(scenario.workload.map((w) => w.name)).toContain('warm');
  });

  it("names the kind cluster's workers as its nodes, and keeps Spegel's containerd settings", async () => {
    const scenario = await loadScenarioFile(file(SCENARIO), scenarioContext());
    const kind = parse(await readFile(file('scenarios/examples/p2p/kind-config.yaml'), 'utf8'));
    const workers = kind.nodes.filter((n: { role: string }) => n.role === 'worker').length;
    // kind names workers <cluster>-worker, <cluster>-worker2, …
    const names = Array.from({ length: workers }, (_, i) => `${kind.name}-worker${i === 0 ? '' : i + 1}`);
    expect(scenario.backend.nodes.map((n) => n.name)).toEqual(names);
    const patch = kind.containerdConfigPatches.join('\n');
    expect(patch).toContain('config_path = "/etc/containerd/certs.d"');
    expect(patch).toContain('discard_unpacked_layers = false');
  });

  it('installs Spegel only in the spegel leg, runs the scenario in both, and compares them', async () => {
    const wf = parse(await readFile(file('.github/workflows/p2p.yml'), 'utf8'));
    expect(wf.jobs.storm.strategy.matrix.remedy).toEqual(['none', 'spegel']);
    const steps: Step[] = wf.jobs.storm.steps;
    const names = steps.map((s) => s.name).filter(Boolean);
    expect(names).toEqual(
      expect.arrayContaining([
        'Create the kind cluster',
        'Build the stub image and load it into the nodes',
        'Install Spegel (Helm chart)',
        'Run the storm (pullstorm run, kubeconfig backend)',
      ]),
    );
    const install = steps.find((s) => s.name === 'Install Spegel (Helm chart)')!;
    expect(install.if).toBe("matrix.remedy == 'spegel'");
    expect(install.run).toContain('oci://ghcr.io/spegel-org/helm-charts/spegel');
    const create = steps.find((s) => s.name === 'Create the kind cluster')!;
    expect(create.run).toContain('scenarios/examples/p2p/kind-config.yaml');
    const run = steps.find((s) => s.name?.startsWith('Run the storm'))!;
    expect(run.run).toContain(SCENARIO);
    // A GitHub expression, not a JavaScript template: the leg's own output folder.
    expect(run.run).toContain(`--out "pullstorm-runs/$\{{ matrix.remedy }}"`);
    // Spegel before the run, the cluster made before either.
    const at = (name: string) => names.indexOf(name);
    expect(at('Create the kind cluster')).toBeLessThan(at('Install Spegel (Helm chart)'));
    expect(at('Install Spegel (Helm chart)')).toBeLessThan(
      at('Run the storm (pullstorm run, kubeconfig backend)'),
    );
    const compare: Step[] = wf.jobs.compare.steps;
    expect(wf.jobs.compare.needs).toBe('storm');
    expect(compare.map((s) => s.run ?? '').join('\n')).toMatch(
      /scripts\/compare-runs\.ts \\\n\s+none=p2p-none\/none\/report\.json \\\n\s+spegel=p2p-spegel\/spegel\/report\.json/,
    );
  });
});

describe('scripts/compare-runs.ts', () => {
  const report = (originBlobBytes: number, p50: number | null): ReportSummary => ({
    verdict: 'pass',
    pulls: { failed: 0, latency: { p50, p95: p50, max: p50 } },
    registry: { requests: 40, originBlobBytes, amplification: originBlobBytes / (64 * 1024 * 1024) },
  });

  it('puts the runs side by side with the origin bytes against the first run', () => {
    const table = compareReports([
      { name: 'none', report: report(3 * 64 * 1024 * 1024, 8429) },
      { name: 'spegel', report: report(64 * 1024 * 1024, null) },
    ]);
    expect(table.split('\n')[2]).toBe(
      '| none | pass | 8.4 s | 8.4 s | 8.4 s | 0 | 40 | 192.0 MiB | 1.00× | 3.00 |',
    );
    expect(table.split('\n')[3]).toBe('| spegel | pass | — | — | — | 0 | 40 | 64.0 MiB | 0.33× | 1.00 |');
  });

  it('says what it expected when an argument is not name=path', () => {
    expect(() => parseRunArgs(['runs/none/report.json'])).toThrow(
      'expected name=path/to/report.json, got "runs/none/report.json"',
    );
    expect(() => compareReports([])).toThrow('expected at least one name=report.json, got none');
  });
});
