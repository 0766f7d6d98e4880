/**
 * Two regression tests as a team would write them: a pull quota on a rollout (virtual nodes, about
 * a second) and a mistyped tag on a real containerd node (root and containerd; a few seconds).
 */
import { execFileSync } from 'node:child_process';
import { runScenario } from 'pullstorm';
import 'pullstorm/vitest';
import { describe, expect, test } from 'vitest';
import quota from './quota.scenario.ts';

const hasContainerd = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v containerd && command -v runc'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

describe('image pulls under failure', () => {
  test('a pull quota is detected quickly, classified, and every pod runs once it lifts', async () => {
    const result = await runScenario(quota);
    expect(result).toDetect('rate-limited').within('30s');
    expect(result).toClassifyAs('rate-limited');
    expect(result).toRecoverWithin('2m', 'quota');
    expect(result).toHaveAllPodsRunning();
    expect(result).toPassExpectations();
  });

  test.skipIf(!hasContainerd)('a mistyped tag fails as not found while the real tag runs', async () => {
    const result = await runScenario('unknown-tag');
    expect(result).toPassExpectations();
    expect(result.analysis.failures.map((f) => f.cause)).toContain('not-found');
  });
});
