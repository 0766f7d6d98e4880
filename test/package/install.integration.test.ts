/**
 * The published shape: the packed tarball installed into an empty project works on plain Node with
 * no TypeScript tooling: the `pullstorm` bin, the library import, the built-in scenarios and the
 * type declarations.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { installInto, packOnce, ROOT, sh } from '../../scripts/package/pack.ts';

let app: string;
beforeAll(async () => {
  app = await installInto('app', [await packOnce('tarball-app')]);
}, 600_000);

describe('the installed package', () => {
  test('npx pullstorm --help lists the commands, with nothing on stderr', async () => {
    const { stdout, stderr } = await sh(app, 'npx', ['--no-install', 'pullstorm', '--help']);
    expect(stdout).toContain('pullstorm faults');
    expect(stdout).toContain('pullstorm run [scenarios..]');
    expect(stderr).toBe('');
  });

  test('npx pullstorm faults prints the catalogue', async () => {
    const { stdout } = await sh(app, 'npx', ['--no-install', 'pullstorm', 'faults']);
    expect(stdout).toMatch(/^rate-limit — registry$/m);
  });

  test('the library imports on plain Node and finds its built-in scenarios and CRI proto', async () => {
    const script = [
      "import { loadScenario, runScenario, startRegistry, fault, classify, explain, writeReports, defineScenario, EXIT, ScenarioError } from 'pullstorm';",
      "const { scenario } = await loadScenario('unknown-tag');",
      'const checks = [typeof runScenario, typeof startRegistry, typeof writeReports, typeof defineScenario, typeof explain];',
      "await using registry = await startRegistry({ fixtures: { include: ['tiny'] } });",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal of the generated script.
      "const head = await fetch(`${registry.url}/v2/pullstorm/tiny/manifests/1.0`, { method: 'HEAD' });",
      "let bad; try { await loadScenario({ apiVersion: 'pullstorm.dev/v1alpha1' }); } catch (e) { bad = e instanceof ScenarioError ? e.exitCode : e; }",
      "console.log(JSON.stringify({ name: scenario.name, checks, status: head.status, cause: classify('429 Too Many Requests - Server message: toomanyrequests: x').cause, usage: EXIT.usage, bad, fault: fault('server-error').fault }));",
    ].join('\n');
    await writeFile(join(app, 'check.mjs'), script);
    const { stdout } = await sh(app, process.execPath, ['check.mjs']);
    expect(JSON.parse(stdout)).toEqual({
      name: 'unknown-tag',
      checks: ['function', 'function', 'function', 'function', 'function'],
      status: 200,
      cause: 'rate-limited',
      usage: 2,
      bad: 2,
      fault: 'server-error',
    });
    expect(
      existsSync(join(app, 'node_modules/pullstorm/dist/harness/backends/containerd/cri/api.proto')),
    ).toBe(true);
  });

  test('npx pullstorm run runs a scenario file from the installed package and writes --metrics', async () => {
    await writeFile(
      join(app, 'quota.yaml'),
      [
        'apiVersion: pullstorm.dev/v1alpha1',
        'kind: Scenario',
        'name: quota-virtual',
        'description: A quota on two virtual nodes',
        'backend: { nodes: [{ name: a, kind: virtual }, { name: b, kind: virtual }] }',
        'registries: [{ name: hub, fixtures: { include: [tiny] } }]',
        'workload: [{ kind: deployment, name: web, image: hub/pullstorm/tiny:1.0, replicas: 4, imagePullPolicy: Always }]',
        'faults: [{ id: quota, fault: rate-limit, options: { limit: 1, windowSeconds: 3600, style: generic }, at: 0s, for: 1m }]',
        'expectations: [{ type: detectedWithin, fault: quota, within: 30s }]',
        'timeout: 10m',
      ].join('\n'),
    );
    const args = [
      '--no-install',
      'pullstorm',
      'run',
      'quota.yaml',
      '--out',
      'runs/quota',
      '--metrics',
      'results.prom',
      '--json',
    ];
    const { stdout } = await sh(app, 'npx', args);
    expect(JSON.parse(stdout)).toMatchObject({
      exitCode: 0,
      runs: [{ scenario: 'quota-virtual', verdict: 'pass' }],
    });
    expect(await readFile(join(app, 'results.prom'), 'utf8')).toContain(
      'pullstorm_fault_detected{scenario="quota-virtual",fault="rate-limit",fault_id="quota"} 1',
    );
    expect(existsSync(join(app, 'runs/quota/junit.xml'))).toBe(true);
  });

  test('the type declarations type-check a consumer of the API', async () => {
    await writeFile(
      join(app, 'consumer.ts'),
      [
        "import { runScenario, type RunResult } from 'pullstorm';",
        'export async function verdict(): Promise<string> {',
        "  const result: RunResult = await runScenario('unknown-tag', { runsDir: 'runs' });",
        '  const detected: number | undefined = result.analysis.faults[0]?.detection?.first.ms;',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal of the generated module.
        '  return `${result.verdict} ${detected} ${result.reports.html}`;',
        '}',
      ].join('\n'),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--target',
      'es2023',
      '--skipLibCheck',
      'consumer.ts',
    ];
    await expect(sh(app, process.execPath, [tsc, ...args])).resolves.toMatchObject({ stderr: '' });
  });
});
