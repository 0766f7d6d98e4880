/**
 * `type: external` against a mirror the test runs itself, as a user runs theirs: a real
 * distribution 2.8 proxy (started with harness/mirrors' own start function) whose upstream is the
 * door the scenario asks the harness to open to the origin. The harness only writes the nodes'
 * hosts.toml; the origin's events and the mirror's own log show that pods pulled through it.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MirrorRequest } from '../../harness/mirrors/access-log.ts';
import { freePort, startProcessMirror } from '../../harness/mirrors/start.ts';
import { containerdStatus, skipNote } from '../helpers/containerd-status.ts';
import { cli, removeTempDirs, tempDir } from '../run/helpers.ts';
import { hasDistribution, type LoggedRequest, originBlobGets } from './helpers.ts';

afterAll(removeTempDirs);

const containerd = await containerdStatus();

const scenario = (o: { url: string; upstream?: string; nodes: string }) => `apiVersion: pullstorm.dev/v1alpha1
kind: Scenario
name: external-mirror
backend:
  nodes:
${o.nodes}
registries:
  - name: registry
    fixtures: { include: [large], largeSizeBytes: 2Mi, largeLayers: 2 }
    mirrors:
      - name: theirs
        type: external
        url: ${o.url}
${o.upstream ? `        upstream: ${o.upstream}\n` : ''}workload:
  - { kind: deployment, name: app, image: registry/pullstorm/large:1.0, replicas: 4 }
expectations:
  - { type: allPodsRunning, within: 1m }
timeout: 2m
`;

describe.skipIf(!hasDistribution || !containerd.available)(
  `an external mirror (a distribution proxy the test runs)${hasDistribution ? skipNote(containerd) : ' (skipped: docker-registry is not installed)'}`,
  () => {
    it('has every pod pull through it: the origin sees only the mirror, and the report marks what it cannot see', async () => {
      const dir = await tempDir('external-mirror');
      const upstreamPort = await freePort();
      const answered: MirrorRequest[] = [];
      // distribution 2.8 pings its upstream's /v2/ when it starts and panics when nothing answers
      // (handlers/app.go NewApp), so something answers there while it starts, then frees the port
      // for the door the run opens.
      const placeholder = createServer((_, res) => res.writeHead(200).end('{}'));
      await new Promise<void>((resolve) => placeholder.listen(upstreamPort, '127.0.0.1', resolve));
      // The user's mirror, started before the run and pointed at the door the run will open.
      await using mirror = await startProcessMirror({
        runId: 'external-test',
        name: 'theirs',
        type: 'distribution',
        origin: `http://127.0.0.1:${upstreamPort}`,
        root: await mkdtemp(join(tmpdir(), 'pullstorm-external-')),
        endpoints: [],
        onRequest: (r) => answered.push(r),
      }).then((m) => Object.assign(m, { [Symbol.asyncDispose]: () => m.close() }));
      await new Promise((resolve) => placeholder.close(resolve));
      const file = join(dir, 'external.yaml');
      await writeFile(
        file,
        scenario({
          url: mirror.url,
          upstream: `127.0.0.1:${upstreamPort}`,
          nodes: '    - { name: real, count: 1 }\n    - { name: edge, count: 3, kind: virtual }',
        }),
      );
      const out = join(dir, 'out');
      const r = await cli(['run', file, '--out', out], { PULLSTORM_STATE_DIR: join(dir, 'state') });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      await mirror.drain();

      const origin = await originBlobGets(out);
      const blobGets = (from: (e: LoggedRequest) => boolean) => origin.filter(from).length;
      // Every blob came through the mirror's door; no node fetched one from the origin itself.
      expect(blobGets((e) => e.endpoint === 'theirs')).toBeGreaterThanOrEqual(2);
      expect(blobGets((e) => e.endpoint !== 'theirs')).toBe(0);
      // The mirror answered the nodes: 4 nodes × 2 layers (and a config blob each).
      const servedBlobs = answered.filter(
        (a) => a.method === 'GET' && a.path.includes('/blobs/') && a.status === 200,
      );
      expect(servedBlobs.length).toBeGreaterThanOrEqual(4 * 2);

      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
      const [theirs] = report.mirrors;
      expect(theirs).toMatchObject({ name: 'theirs', type: 'external' });
      expect(theirs.originBlobFetches).toBeGreaterThanOrEqual(2);
      expect(theirs.unknown).toEqual(expect.arrayContaining(['requests', 'hitRatio', 'blobBytesServed']));
      expect(theirs.unknown).not.toContain('originBlobFetches');
      const summary = await readFile(join(out, 'summary.md'), 'utf8');
      expect(summary).toMatch(
        /\*\*Mirror theirs\*\* \(external\) amplification [\d.]+× .* hit ratio unknown/,
      );
      console.info(
        `external mirror: origin blob GETs through it ${blobGets((e) => e.endpoint === 'theirs')}, blob GETs it answered ${servedBlobs.length}, amplification ${theirs.amplification}`,
      );
    }, 120_000);

    it('fails before provisioning with exit 3 when the external URL does not answer', async () => {
      const dir = await tempDir('external-down');
      const port = await freePort(); // nothing listens there
      const file = join(dir, 'down.yaml');
      await writeFile(
        file,
        scenario({ url: `http://127.0.0.1:${port}`, nodes: '    - { name: edge, count: 1, kind: virtual }' }),
      );
      const r = await cli(['run', file, '--out', join(dir, 'out')], {
        PULLSTORM_STATE_DIR: join(dir, 'state'),
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        `external mirror theirs: http://127.0.0.1:${port}/v2/ did not answer (connect ECONNREFUSED 127.0.0.1:${port}); expected a registry answering GET /v2/ with any HTTP status: start it, or fix its url`,
      );
    }, 60_000);
  },
);
