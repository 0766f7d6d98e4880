/**
 * `pullstorm run` exit codes end to end, on real containerd: 0 and 1 in one two-scenario run
 * (worst wins, one table), 2 for an invalid scenario (every problem listed) and for a fault its
 * backend cannot apply, 3 for a machine without containerd or kind (never a product failure).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('pullstorm run exit codes', () => {
  it('runs two scenarios, prints one table and exits with the worst code (1)', async () => {
    const out = await tempDir('exit');
    const r = await cli(['run', 'unknown-tag', 'test/run/fixtures/wrong-expectation.yaml', '--out', out], {
      PULLSTORM_STATE_DIR: `${out}/state`,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/pullstorm unknown-tag \(unknown-tag-\d{8}-\d{6}-[0-9a-f]{4}\): PASS/);
    expect(r.stdout).toMatch(/pullstorm wrong-expectation \(\S+\): FAIL: 1 of 2 expectations failed/);
    // The table: one row per scenario with verdict, expectations held and exit code.
    expect(r.stdout).toMatch(/unknown-tag\s+pass\s+2\/2\s+\S+\s+0\s+\S+report\.html/);
    expect(r.stdout).toMatch(/wrong-expectation\s+fail\s+1\/2\s+\S+\s+1\s+/);
    expect(r.stdout).toContain('2 scenario(s), exit 1');
  });

  it('exits 2 and lists every problem of an invalid scenario, running nothing', async () => {
    const r = await cli(['run', 'test/run/fixtures/invalid.yaml', 'unknown-tag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has 3 problems');
    expect(r.stderr).toMatch(/invalid\.yaml:4:1: name: expected a DNS label/);
    expect(r.stderr).toMatch(/image: .*nowhere/);
    expect(r.stderr).toMatch(/faults\[0\]\.fault: .*did you mean 'rate-limit'/);
    expect(r.stdout).toBe('');
  });

  it('exits 3 when kind is not on PATH, naming the candidate tried and how to install it', async () => {
    const out = await tempDir('nokind');
    const r = await cli(['run', 'test/run/fixtures/kind-backend.yaml', '--out', `${out}/run`], {
      PATH: '/nonexistent',
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("no working 'kind' backend; tried kind: not applicable (kind is not on PATH");
    expect(r.stderr).toContain('kind.sigs.k8s.io');
  });

  it("exits 2 when --backend picks a backend that cannot apply the scenario's faults", async () => {
    const r = await cli(['run', 'dns', '--backend', 'kubeconfig']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('backend.type: kubeconfig: nodeFaults: the scenario has a dns fault');
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a name that is neither a file nor a built-in', async () => {
    const r = await cli(['run', 'no-such-scenario']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /expected a scenario file or a built-in name \(unknown-tag, .*\), got 'no-such-scenario'/,
    );
  });

  it('exits 3 when containerd is not installed, and says how to get it', async () => {
    const out = await tempDir('nocontainerd');
    const r = await cli(['run', 'unknown-tag', '--out', `${out}/run`], { PATH: '/nonexistent' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the containerd backend needs containerd: apt-get install containerd');
    expect(r.stderr).toContain('pullstorm doctor');
  });
});
