/**
 * The registry stub image and container against the real Docker engine and a real client (skopeo).
 * No registry is reachable here, so a build that tried to pull would fail; the engine's event log
 * is checked too.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Network } from 'testcontainers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildStubImage,
  cleanupContainers,
  dockerClient,
  dockerStatus,
  startStubContainer,
} from '../../harness/containers/index.ts';

const docker = await dockerStatus();
const runId = `test-${crypto.randomUUID().slice(0, 8)}`;
const hostPort = (url: string) => url.replace(/^https?:\/\//, '');

async function skopeoInspect(ref: string, ...flags: string[]) {
  return execa('skopeo', ['inspect', ...flags, `docker://${ref}`], { reject: false, timeout: 30_000 });
}

async function containerExists(id: string): Promise<boolean> {
  const engine = (await dockerClient()).container.dockerode;
  return engine
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      (error: { statusCode?: number }) => (error.statusCode === 404 ? false : Promise.reject(error)),
    );
}

describe.skipIf(!docker.available)(
  `registry stub container${docker.available ? '' : ` (skipped: ${docker.reason})`}`,
  () => {
    afterAll(() => cleanupContainers(runId));

    it('builds the image from scratch without any pull, and reuses it by content hash', async () => {
      const engine = (await dockerClient()).container.dockerode;
      const since = Math.floor(Date.now() / 1000) - 1;
      const first = await buildStubImage();
      const second = await buildStubImage();
      const until = Math.floor(Date.now() / 1000) + 1;
      console.info(
        `stub image ${first.name}: ${first.built ? 'built' : 'found'} in ${Math.round(first.durationMs)} ms, ` +
          `then found in ${Math.round(second.durationMs)} ms`,
      );
      expect(second).toMatchObject({ name: first.name, built: false });
      expect(first.name).toMatch(/^pullstorm\/stub:[0-9a-f]{16}$/);

      const info = await engine.getImage(first.name).inspect();
      // FROM scratch: only our two COPY layers (Node with its libraries, then the bundle), no base image.
      expect(info.RootFS.Layers).toHaveLength(2);
      expect(info.Config.Labels).toMatchObject({ pullstorm: 'true', 'pullstorm.component': 'registry-stub' });
      expect(info.Config.Env).toEqual(['PATH=/usr/local/bin']);
      expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(['5000/tcp']);
      expect(info.Config.Entrypoint).toEqual([
        '/usr/local/bin/node',
        '/app/pullstorm.mjs',
        'serve',
        '--host',
        '0.0.0.0',
        '--port',
        '5000',
      ]);
      const events = await new Promise<string>((resolve, reject) => {
        engine.getEvents({ since, until, filters: { type: ['image'], event: ['pull'] } }, (error, stream) => {
          if (error || !stream) return reject(error);
          let text = '';
          stream.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          stream.on('end', () => resolve(text));
        });
      });
      expect(events).toBe('');
    });

    it('serves the fixtures to skopeo from the host; stop removes the container', async () => {
      const stub = await startStubContainer({ runId });
      console.info(`stub container ready in ${Math.round(stub.startMs)} ms at ${stub.url}`);
      const tiny = stub.ready.fixtures.find((f) => f.reference.endsWith('/pullstorm/tiny:1.0'));
      expect(tiny?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(stub.url).toMatch(/^http:\/\/localhost:\d+$/);
      expect(stub.containerUrl).toMatch(/^http:\/\/[\d.]+:5000$/);

      const result = await skopeoInspect(`${hostPort(stub.url)}/pullstorm/tiny:1.0`, '--tls-verify=false');
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout).Digest).toBe(tiny?.digest);

      const id = stub.container.getId();
      await stub.stop();
      await stub.stop(); // idempotent
      expect(await containerExists(id)).toBe(false);
    });

    it('with tls, the CA copied to the host lets skopeo verify the certificate', async () => {
      await using stub = await startStubContainer({ runId, tls: true, fixtures: true });
      expect(stub.url).toMatch(/^https:\/\/localhost:\d+$/);
      expect(stub.caFile).not.toBeNull();
      expect(await readFile(stub.caFile ?? '', 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const certDir = await mkdtemp(join(tmpdir(), 'pullstorm-certs-'));
      try {
        const ref = `${hostPort(stub.url)}/pullstorm/tiny:1.0`;
        const unverified = await skopeoInspect(ref, '--cert-dir', certDir);
        expect(unverified.exitCode).not.toBe(0);
        expect(unverified.stderr).toMatch(/x509|certificate/);
        await execa('cp', [stub.caFile ?? '', join(certDir, 'ca.crt')]);
        const verified = await skopeoInspect(ref, '--cert-dir', certDir);
        expect(verified.stderr).toBe('');
        const tiny = stub.ready.fixtures.find((f) => f.reference.endsWith('/pullstorm/tiny:1.0'));
        expect(JSON.parse(verified.stdout).Digest).toBe(tiny?.digest);
      } finally {
        await rm(certDir, { recursive: true, force: true });
      }
    });

    it('with users, skopeo needs the credentials', async () => {
      await using stub = await startStubContainer({ runId, users: [{ username: 'ci', password: 's3cret' }] });
      expect(stub.ready.auth).toBe('basic');
      const ref = `${hostPort(stub.url)}/pullstorm/tiny:1.0`;
      const anonymous = await skopeoInspect(ref, '--tls-verify=false');
      expect(anonymous.exitCode).not.toBe(0);
      expect(anonymous.stderr).toMatch(/unauthorized|authentication required|401/i);
      const signedIn = await skopeoInspect(ref, '--tls-verify=false', '--creds', 'ci:s3cret');
      expect(signedIn.stderr).toBe('');
    });

    it('on a network, other containers reach it by its alias', async () => {
      const network = await new Network().start();
      try {
        await using stub = await startStubContainer({ runId, network, networkAliases: ['registry.test'] });
        expect(stub.containerUrl).toBe('http://registry.test:5000');
        // The stub image has Node, so a second stub serves as the client inside the network.
        await using client = await startStubContainer({
          runId,
          network,
          networkAliases: ['client'],
          fixtures: false,
        });
        const probe = `fetch('${stub.containerUrl}/v2/').then((r) => console.log(r.status, r.headers.get('docker-distribution-api-version')))`;
        const result = await client.container.exec(['/usr/local/bin/node', '-e', probe]);
        expect(result.stdout.trim()).toBe('200 registry/2.0');
      } finally {
        await network.stop();
      }
    });

    it('cleanupContainers(runId) removes a container left running, and only that run', async () => {
      const otherRun = `${runId}-other`;
      const left = await startStubContainer({ runId: otherRun, fixtures: false });
      const kept = await startStubContainer({ runId, fixtures: false });
      try {
        const removed = await cleanupContainers(otherRun);
        expect(removed).toEqual([left.container.getId()]);
        expect(await containerExists(left.container.getId())).toBe(false);
        expect(await containerExists(kept.container.getId())).toBe(true);
        expect(await cleanupContainers(otherRun)).toEqual([]);
      } finally {
        await kept.stop();
      }
    });
  },
);
