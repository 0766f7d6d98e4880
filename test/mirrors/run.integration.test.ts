/**
 * A whole run with a real nginx mirror through the CLI (virtual nodes, so no root is needed): the
 * report carries the mirror's measures, and nothing of the mirror is left behind afterwards.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempDir } from '../run/helpers.ts';
import { hasNginx } from './helpers.ts';

afterAll(removeTempDirs);

const SCENARIO = `apiVersion: pullstorm.dev/v1alpha1
kind: Scenario
name: nginx-mirror
backend:
  nodes:
    - { name: edge, count: 4, kind: virtual }
registries:
  - name: registry
    fixtures: { include: [tiny] }
    mirrors: [{ name: front, type: nginx }]
workload:
  - { kind: deployment, name: app, image: registry/pullstorm/tiny:1.0, replicas: 4 }
expectations:
  - { type: allPodsRunning, within: 30s }
  - { type: originAmplification, atMost: 1 }
timeout: 1m
`;

describe.skipIf(!hasNginx)('a run with an nginx mirror', () => {
  it('passes, reports what the mirror did, and leaves no mirror process or directory behind', async () => {
    const dir = await tempDir('nginx-run');
    const state = join(dir, 'state');
    await writeFile(join(dir, 'nginx-mirror.yaml'), SCENARIO);
    const r = await cli(['run', join(dir, 'nginx-mirror.yaml'), '--out', join(dir, 'out')], {
      PULLSTORM_STATE_DIR: state,
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'));
    const [front] = report.mirrors;
    expect(front).toMatchObject({ name: 'front', type: 'nginx', registry: 'registry', amplification: 1 });
    expect(front.originFetchesPerBlob.max).toBe(1);
    expect(front.blobRequests).toBeGreaterThanOrEqual(4);
    expect(front.hitRatio).toBeGreaterThan(0);
    expect(await readdir(`${state}-mirrors`)).toEqual([]);
    expect(await readFile(join(dir, 'out', 'summary.md'), 'utf8')).toContain('**Mirror front** (nginx)');
  }, 60_000);
});
