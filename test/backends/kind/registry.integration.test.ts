/**
 * The stub as kind's nodes see it, against the real Docker engine: a container on a user-defined
 * network (kind's is named `kind`; a throwaway one stands in here, as no kind cluster can run on this
 * machine) answering under the registry's host name and the stable alias, with a TLS certificate
 * valid for those names. A second container on the network plays the node: it resolves the alias
 * through Docker's DNS and verifies the certificate against the stub's CA, as containerd would.
 * Faults go to the stub's control API through the mapped port of its control listener, and its
 * event feed is relayed, as the kind backend does from provision to teardown; connection and TLS
 * faults are seen by the node-network container while that control port keeps answering.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Network, type StartedNetwork } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followKindStubs } from '../../../harness/backends/kind/backend.ts';
import {
  type KindStub,
  kindServeArgs,
  startKindStubs,
  stopKindStubs,
  stubAliases,
} from '../../../harness/backends/kind/registry.ts';
import { dockerStatus } from '../../../harness/containers/docker.ts';
import { IMAGE_NODE_PATH } from '../../../harness/containers/rootfs.ts';
import { stubImage } from '../../../harness/containers/stub-image.ts';
import type { RegistryRequest, RunEvent } from '../../../harness/events/types.ts';
import type { Registry } from '../../../harness/scenario/resolved.ts';

const docker = await dockerStatus();
const registry: Registry = {
  name: 'hub',
  tls: true,
  auth: {
    mode: 'basic',
    users: [{ username: 'ci', password: 'pw', repositories: ['**'], actions: ['pull'] }],
    anonymous: [],
  },
  fixtures: { include: ['tiny'], largeSizeBytes: 4096, largeLayers: 1 },
  mirrors: [],
};

describe('kind stub arguments', () => {
  it('the first registry also answers as pullstorm-registry; TLS names every alias', () => {
    expect(stubAliases('hub', true)).toEqual(['hub.pullstorm.test', 'pullstorm-registry']);
    expect(stubAliases('ghcr', false)).toEqual(['ghcr.pullstorm.test']);
    // No secret is a flag: users and the control token are files copied into the container.
    expect(kindServeArgs(registry, stubAliases('hub', true))).toEqual([
      '--tls',
      '--tls-san',
      'hub.pullstorm.test',
      '--tls-san',
      'pullstorm-registry',
      '--auth',
      'basic',
      '--users-file',
      '/etc/pullstorm/secrets/htpasswd',
      '--large-size',
      '4096',
      '--large-layers',
      '1',
      '--control-port',
      '5001',
      '--control-token-file',
      '/etc/pullstorm/secrets/control-token',
    ]);
  });

  it('distribution mirrors are refused before anything starts', async () => {
    await expect(
      startKindStubs('r', [{ ...registry, mirrors: [{ name: 'cache', type: 'distribution' }] }]),
    ).rejects.toThrow(/only 'stub' mirrors.*hub\/cache/);
  });
});

describe.skipIf(!docker.available)(
  `kind stub on a Docker network${docker.available ? '' : ` (skipped: ${docker.reason})`}`,
  () => {
    let network: StartedNetwork;
    let stubs: KindStub[] = [];
    const runId = `test-${crypto.randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      network = await new Network().start();
      stubs = await startKindStubs(runId, [registry], network.getName());
    }, 180_000);
    afterAll(async () => {
      await stopKindStubs(stubs);
      await network?.stop();
    });

    /** Runs `script` with Node in a container on the network, trusting the stub's CA. */
    async function fromNode(script: string) {
      const dir = await mkdtemp(join(tmpdir(), 'pullstorm-kind-ca-'));
      await writeFile(join(dir, 'ca.crt'), stubs[0]!.caPem!);
      return execa(
        'docker',
        [
          'run',
          '--rm',
          '--network',
          network.getName(),
          '--volume',
          `${dir}:/ca:ro`,
          '--env',
          'NODE_EXTRA_CA_CERTS=/ca/ca.crt',
          '--entrypoint',
          IMAGE_NODE_PATH,
          (await stubImage()).name,
          '-e',
          script,
        ],
        { reject: false, timeout: 60_000 },
      );
    }

    it('answers under the registry host name and the stable alias, with a certificate valid for both', async () => {
      const stub = stubs[0]!;
      expect(stub).toMatchObject({
        host: 'hub.pullstorm.test:5000',
        nodeUrl: 'https://hub.pullstorm.test:5000',
      });
      expect(stub.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const auth = Buffer.from('ci:pw').toString('base64');
      const r = await fromNode(`
      for (const host of ['hub.pullstorm.test', 'pullstorm-registry']) {
        const res = await fetch('https://' + host + ':5000/v2/pullstorm/tiny/manifests/1.0', {
          method: 'HEAD', headers: { authorization: 'Basic ${auth}', accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' } });
        console.log(host, res.status);
      }`);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toEqual(['hub.pullstorm.test 200', 'pullstorm-registry 200']);
    });

    it('is refused under a name the certificate does not hold (the check is real)', async () => {
      const ip = stubs[0]!.container.getIpAddress(network.getName());
      const r = await fromNode(
        `fetch('https://${ip}:5000/v2/').then((x) => console.log(x.status), (e) => console.log(e.cause?.code ?? e.message))`,
      );
      expect(r.stdout.trim()).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    });

    it('each stub has its own random control token; without it the control API refuses', async () => {
      expect(stubs[0]!.controlToken).toMatch(/^[0-9a-f]{32}$/);
      const res = await new Promise<number>((resolve, reject) =>
        get(`${stubs[0]!.controlUrl}/_pullstorm/faults`, { ca: stubs[0]!.caPem }, (r) => {
          r.resume();
          resolve(r.statusCode!);
        }).on('error', reject),
      );
      expect(res).toBe(401);
    });

    it('reads its users from the htpasswd copied in: the password works, and is nowhere in the container config', async () => {
      const status = (password: string) =>
        new Promise<number>((resolve, reject) =>
          get(
            `${stubs[0]!.hostUrl}/v2/`,
            { ca: stubs[0]!.caPem, auth: `ci:${password}`, agent: false },
            (r) => {
              r.resume();
              resolve(r.statusCode!);
            },
          ).on('error', reject),
        );
      expect(await status('pw')).toBe(200);
      expect(await status('not-pw')).toBe(401);
      const inspect = await execa('docker', ['inspect', stubs[0]!.container.getId()]);
      const config = JSON.parse(inspect.stdout)[0];
      expect(JSON.stringify([config.Args, config.Config.Cmd, config.Config.Env])).not.toMatch(
        new RegExp(`ci:pw|${stubs[0]!.controlToken}`),
      );
    });

    it('a registry fault applied through the mapped control port breaks a pull from the node network; its events reach the log', async () => {
      const log: RunEvent[] = [];
      const lines: string[] = [];
      const relay = followKindStubs(stubs, { emit: (e) => log.push(e), log: (l) => lines.push(l) });
      const head = (host: string) => `
        const res = await fetch('https://${host}:5000/v2/pullstorm/tiny/manifests/1.0', { method: 'HEAD', headers: {
          authorization: 'Basic ${Buffer.from('ci:pw').toString('base64')}',
          accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' } });
        console.log(res.status);`;
      try {
        const clear = await relay.applyFault({
          id: 'gone',
          fault: 'unknown-tag',
          options: {},
          scope: { registry: 'hub', repository: 'pullstorm/tiny', route: 'manifest', probability: 1 },
          atMs: 0,
        });
        const broken = await fromNode(head('hub.pullstorm.test'));
        expect([broken.stderr, broken.stdout.trim()]).toEqual(['', '404']);
        await clear();
        const healed = await fromNode(head('pullstorm-registry'));
        expect([healed.stderr, healed.stdout.trim()]).toEqual(['', '200']);
      } finally {
        await relay.stop();
      }
      expect(lines).toEqual([]);
      const kinds = log.map((e) => e.kind);
      expect(kinds.filter((k) => k.startsWith('fault.'))).toEqual([
        'fault.applied',
        'fault.hit',
        'fault.cleared',
      ]);
      const requests = log.filter((e): e is RegistryRequest => e.kind === 'registry.request');
      expect(requests.map((r) => `${r.registry} ${r.method} ${r.status}`)).toEqual(
        expect.arrayContaining(['hub HEAD 404', 'hub HEAD 200']),
      );
      // The pulls came from a container on the network, not through the mapped port: the stub saw its address.
      const nodeIp = /^\d+\.\d+\.\d+\.\d+$/;
      expect(requests.filter((r) => r.method === 'HEAD').every((r) => nodeIp.test(r.client ?? ''))).toBe(
        true,
      );
      expect(requests.some((r) => r.path.startsWith('/_pullstorm'))).toBe(false);
    });

    it('connection and TLS faults applied through the control port are seen from the node network; the control port keeps answering', async () => {
      const log: RunEvent[] = [];
      const lines: string[] = [];
      const relay = followKindStubs(stubs, { emit: (e) => log.push(e), log: (l) => lines.push(l) });
      // One request per line: the status, or the error code a node-side client (Node's fetch) sees.
      const probe = () =>
        fromNode(`
        const signal = AbortSignal.timeout(2000);
        const res = await fetch('https://hub.pullstorm.test:5000/v2/', { signal,
          headers: { authorization: 'Basic ${Buffer.from('ci:pw').toString('base64')}' } })
          .then((r) => String(r.status), (e) => e.cause?.code ?? e.name);
        console.log(res);
        process.exit(0); // a connect still waiting on dropped SYNs would keep the process up`).then((r) => [
          r.stderr,
          r.stdout.trim(),
        ]);
      const control = relay.controls.get('hub')!;
      const fault = (id: string, name: string, options: Record<string, unknown> = {}) =>
        relay.applyFault({ id, fault: name, options, scope: { route: 'any', probability: 1 }, atMs: 0 });
      const seen: Record<string, unknown> = {};
      try {
        seen.before = await probe();
        let clear = await fault('down', 'refused');
        seen.refused = await probe();
        seen.listedWhileRefused = (await control.list()).map((f) => f.id);
        await clear();
        seen.afterRefused = await probe();
        clear = await fault('silent', 'blackhole');
        seen.blackhole = await probe();
        seen.listedWhileBlackholed = (await control.list()).map((f) => f.id);
        await clear();
        for (const name of ['tls-unknown-ca', 'tls-expired', 'tls-wrong-host']) {
          clear = await fault(name, name);
          seen[name] = await probe();
          await clear();
        }
        seen.after = await probe();
      } finally {
        await relay.stop();
      }
      expect(seen).toEqual({
        before: ['', '200'],
        refused: ['', 'ECONNREFUSED'],
        listedWhileRefused: ['down'],
        afterRefused: ['', '200'],
        // SYNs dropped: the connect never completes, the client gives up at its own 2 s deadline.
        blackhole: ['', 'TimeoutError'],
        listedWhileBlackholed: ['silent'],
        'tls-unknown-ca': ['', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
        'tls-expired': ['', 'CERT_HAS_EXPIRED'],
        'tls-wrong-host': ['', 'ERR_TLS_CERT_ALTNAME_INVALID'],
        after: ['', '200'],
      });
      expect(lines).toEqual([]);
      // The feed starts at its beginning, so the previous test's fault is in the log too.
      const ours = log.filter((e) => 'id' in e && e.id !== 'gone');
      const changes = ours.flatMap((e) =>
        e.kind === 'fault.applied' || e.kind === 'fault.cleared' ? [`${e.kind} ${e.id}`] : [],
      );
      expect(changes).toEqual(
        ['down', 'silent', 'tls-unknown-ca', 'tls-expired', 'tls-wrong-host'].flatMap((id) => [
          `fault.applied ${id}`,
          `fault.cleared ${id}`,
        ]),
      );
      // Certificate faults see each connection they change; refused and blackhole (SYN drop) leave
      // the address to the kernel, so no connection ever reaches the stub to count.
      const hits = new Set(ours.flatMap((e) => (e.kind === 'fault.hit' ? [e.id] : [])));
      expect([...hits].sort()).toEqual(['tls-expired', 'tls-unknown-ca', 'tls-wrong-host']);
    }, 60_000);

    it('is reachable from this machine too (seeding, k6, fault control)', async () => {
      const res = await fetch(`${stubs[0]!.hostUrl.replace('https', 'http')}/v2/`).catch((e: Error) => e);
      // The stub speaks TLS only: a plain request is not answered as HTTP.
      expect(res).toBeInstanceOf(Error);
      expect(stubs[0]!.hostUrl).toMatch(/^https:\/\/localhost:\d+$/);
      expect(stubs[0]!.controlUrl).toMatch(/^https:\/\/localhost:\d+$/);
      expect(stubs[0]!.controlUrl).not.toBe(stubs[0]!.hostUrl);
    });
  },
);
