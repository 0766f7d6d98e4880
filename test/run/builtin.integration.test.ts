/**
 * The built-in scenario library: every YAML in scenarios/ is listed, loads against the real fault
 * catalogue, and can run on this runner; `pullstorm list` shows each with its expected verdict.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioContext } from '../../harness/backends/stub-engine.ts';
import { BUILTINS, builtinFile, builtinFilesOnDisk, suiteFiles } from '../../harness/run/builtin.ts';
import { checkRunnable } from '../../harness/run/preflight.ts';
import { loadScenarioFile } from '../../harness/scenario/index.ts';
import { cli } from './helpers.ts';

describe('built-in scenarios', () => {
  it('lists exactly the files in scenarios/', async () => {
    const files = (await builtinFilesOnDisk()).map((f) => basename(f, '.yaml')).sort();
    expect(BUILTINS.map((b) => b.name).sort()).toEqual(files);
  });

  it.each(BUILTINS.map((b) => b.name))('%s loads, is runnable here and has expectations', async (name) => {
    const s = await loadScenarioFile(builtinFile(name), scenarioContext());
    expect(s.name).toBe(name);
    expect(s.description).not.toBe('');
    expect(s.expectations.length).toBeGreaterThan(0);
    expect(() => checkRunnable(s)).not.toThrow();
  });

  it('the default suite is every built-in but the long ones, in table order', () => {
    const inDefault = BUILTINS.filter((b) => b.suites.includes('default'));
    expect(suiteFiles('default')).toEqual(inDefault.map((b) => builtinFile(b.name)));
    expect(suiteFiles('long')).toEqual([
      builtinFile('rate-limit-window'),
      builtinFile('mirror-down-fallback'),
    ]);
    expect(suiteFiles('mirrors').map((f) => basename(f, '.yaml'))).toEqual([
      'mirror-pull-through',
      'mirror-origin-down',
      'mirror-thundering-herd',
      'mirror-latency',
      'mirror-disk-full',
      'remedies-storm',
    ]);
    expect(() => suiteFiles('nightly')).toThrow(
      "--suite: expected one of default, long, mirrors, got 'nightly'",
    );
  });

  it('pullstorm list shows each built-in with its expected verdict and duration', async () => {
    const r = await cli(['list']);
    expect(r.code, r.stderr).toBe(0);
    for (const b of BUILTINS)
      expect(r.stdout).toMatch(new RegExp(`^${b.name}\\s+pass\\s+~${b.roughSeconds}s( \\*)?\\s+\\S`, 'm'));
    const inDefault = BUILTINS.filter((b) => b.suites.includes('default')).length;
    expect(r.stdout).toContain(`runs the default suite: ${inDefault} scenarios`);
    // Scenarios whose wall time containerd's own timeouts bound say so.
    expect(r.stdout).toMatch(/\* blackhole: bounded by containerd's 30 s dial timeout/);
  });
});
