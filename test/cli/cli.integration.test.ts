import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stagingKubeconfig } from '../helpers/kubeconfig-file.ts';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['harness/cli/main.ts', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('pullstorm CLI', () => {
  it('lists its commands with --help and exits 0', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('pullstorm serve');
  });

  it('documents every serve option', async () => {
    const { code, stdout } = await cli('serve', '--help');
    expect(code).toBe(0);
    for (const flag of [
      '--host',
      '--port',
      '--tls',
      '--tls-dir',
      '--tls-san',
      '--auth',
      '--user',
      '--storage',
      '--fixtures',
      '--control-token',
      '--control-port',
      '--tls-ca-key',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it.each([
    [['bogus'], /Unknown argument: bogus/],
    [[], /expected a command/],
    [['serve', '--port', '70000'], /--port: expected an integer from 0 to 65535, got 70000/],
    [
      ['run', 'refused', '--time-scale', '10'],
      /--time-scale was removed, got --time-scale 10: .*--clock real/,
    ],
    [['run', 'refused', '--clock', 'fast'], /--clock: expected warp or real, got 'fast'/],
    [['run', 'refused', '--seed', '-3'], /--seed: expected an integer from 0 to 4294967295, got '-3'/],
    [
      ['run', 'refused', '--seed', '4294967296'],
      /--seed: expected an integer from 0 to 4294967295, got '4294967296'/,
    ],
    [
      ['serve', '--auth', 'token'],
      /--auth token: expected --users-file <htpasswd> or at least one --user <name>:<password>, got neither/,
    ],
    [
      ['serve', '--auth', 'basic', '--user', 'nopassword'],
      /--user: expected <name>:<password>, got 'nopassword'/,
    ],
    [['serve', '--auth', 'oauth'], /Invalid values:[\s\S]*oauth/],
    [
      ['serve', '--control-port', '5001'],
      /--control-port: the control listener serves the control API, which needs a control token \(--control-token-file, PULLSTORM_CONTROL_TOKEN or --control-token\); expected one, got none/,
    ],
    [
      ['serve', '--port', '5000', '--control-port', '5000', '--control-token', 't'],
      /--control-port: expected a port other than --port's, got 5000 for both/,
    ],
    [
      ['serve', '--control-token', '', '--control-port', '5001'],
      /--control-token: expected a non-empty token, got an empty one/,
    ],
    [
      ['serve', '--port', '0', '--control-token', ''],
      /--control-token: expected a non-empty token, got an empty one/,
    ],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('diagnoses a kubectl events file', async () => {
    const { code, stdout } = await cli('diagnose', 'test/classify/fixtures/kubectl-get-events.json');
    expect(code).toBe(0);
    expect(stdout).toMatch(/shop\/web-\S+ \(web\)\s+nginx:1\.27\.4\s+rate-limited/);
    expect(stdout).toContain('tls-unknown-ca');
  });

  it.each([
    [['diagnose', 'does-not-exist.json'], /cannot read does-not-exist.json: no such file/],
    [['diagnose', 'package.json'], /expected a Kubernetes EventList/],
  ])('diagnose exits 2 for %j', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('never echoes a password it rejects', async () => {
    const { stderr } = await cli('serve', '--auth', 'basic', '--user', 'alice:');
    expect(stderr).toContain("'alice:…'");
  });
});

describe('pullstorm doctor', () => {
  it('reports every tool with a verdict and exits 0 when the embedded backend can run', async () => {
    const { code, stdout } = await cli('doctor', '--json');
    const result = JSON.parse(stdout) as {
      ready: boolean;
      checks: { name: string; ok: boolean; essential: boolean }[];
    };
    const names = result.checks.map((c) => c.name);
    for (const name of ['containerd', 'runc', 'docker engine', 'kind', 'kubectl', 'k6', 'deno', 'root']) {
      expect(names).toContain(name);
    }
    expect(result.ready).toBe(result.checks.every((c) => c.ok || !c.essential));
    expect(code).toBe(result.ready ? 0 : 3);
  });

  it('with --kubeconfig, says why the cluster could not be looked at and exits 3', async () => {
    await withRefusedCluster(async (file) => {
      const refused = await cli('doctor', '--kubeconfig', file);
      expect(refused.code).toBe(3);
      expect(refused.stdout).toContain(
        'cluster check failed: fetch failed: connect ECONNREFUSED 127.0.0.1:4',
      );
      const unknown = await cli('doctor', '--kubeconfig', file, '--context', 'prod');
      expect(unknown.code).toBe(3);
      expect(unknown.stdout).toContain("no context 'prod' in the kubeconfig; expected one of: staging");
    });
  });
});

describe('pullstorm rbac', () => {
  it('prints the roles as YAML (exit 0); a bad --namespace or --subject is a usage error (exit 2) saying what was expected', async () => {
    const ok = await cli('rbac', '--namespace', 'team-a');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /kind: ClusterRole\n[\s\S]*kind: Role\nmetadata:\n {2}name: pullstorm\n {2}namespace: team-a/,
    );
    const badNs = await cli('rbac', '--namespace', 'Team_A');
    expect(badNs.code).toBe(2);
    expect(badNs.stderr).toContain(
      "--namespace: expected a lower-case DNS label (a-z, 0-9, -), got 'Team_A'",
    );
    const badSubject = await cli('rbac', '--subject', 'alice');
    expect(badSubject.code).toBe(2);
    expect(badSubject.stderr).toContain('--subject: expected User:<name>');
  });
});

describe('pullstorm clean --context', () => {
  it('reports an unreachable cluster after the local clean (exit 3), and an unknown context as a usage error (2)', async () => {
    await withRefusedCluster(async (file) => {
      const refused = await cli('clean', '--kubeconfig', file, '--run-id', 'gone-1');
      expect(refused.code).toBe(3);
      expect(refused.stdout).toContain('kind: ');
      expect(refused.stdout).toContain(
        'cluster staging: clean failed: fetch failed: connect ECONNREFUSED 127.0.0.1:4',
      );
      const unknown = await cli('clean', '--kubeconfig', file, '--context', 'prod');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(
        "--context: no context 'prod' in the kubeconfig; expected one of: staging",
      );
    });
  });
});

describe('pullstorm explain and faults', () => {
  it('explains a pasted error with cause, rule, evidence and fix, and as JSON', async () => {
    const message =
      'Failed to pull image "ghcr.io/a/b:1": failed to pull and unpack image "ghcr.io/a/b:1": failed to resolve reference "ghcr.io/a/b:1": failed to do request: Head "https://ghcr.io/v2/a/b/manifests/1": proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused';
    const text = await cli('explain', message);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^1\. proxy: HTTP\(S\) proxy between the node and the registry failed\n {3}rule: proxy-connect/,
    );
    expect(text.stdout).toContain('     image: ghcr.io/a/b:1');
    const json = JSON.parse((await cli('explain', '--json', message)).stdout);
    expect(json.diagnoses[0]).toMatchObject({ cause: 'proxy', matchedRule: 'proxy-connect', count: 1 });
  });

  it('lists what both client families see in the fault catalogue', async () => {
    const { code, stdout } = await cli('faults');
    expect(code).toBe(0);
    expect(stdout).toMatch(/client sees \(containerd\): .*x509: certificate signed by unknown authority/);
    expect(stdout).toMatch(
      /client sees \(podman\/skopeo\): .*pinging container registry .*x509: certificate signed by unknown authority/,
    );
    const json = JSON.parse((await cli('faults', '--json')).stdout) as {
      name: string;
      clientSeesContainersImage?: string;
    }[];
    expect(json.find((f) => f.name === 'rate-limit')?.clientSeesContainersImage).toMatch(/toomanyrequests/);
  });
});

/** Runs `body` with a kubeconfig whose only context's API server is a closed loopback port. */
async function withRefusedCluster(body: (file: string) => Promise<void>): Promise<void> {
  const { dir, file } = await stagingKubeconfig();
  try {
    await body(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
