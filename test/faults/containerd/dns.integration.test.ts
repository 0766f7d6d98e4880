/**
 * dns against real containerd, in a container node. This machine's resolver (/etc/resolv.conf:
 * 10.255.255.53) is not on the machine, so a process node looking up `<node>.pullstorm.invalid`
 * would send a DNS query off the host. A container node has its own resolv.conf naming the
 * harness's NXDOMAIN responder on the Docker bridge gateway, so the lookup fails the way an unknown
 * name fails in a cluster and the query never leaves the bridge. Its registry is served by a
 * front door on that gateway, with token auth so the token realm can be made unresolvable too.
 *
 * The dns fault, as the runner applies it: the node's hosts.toml `server` becomes
 * `http://<node>.pullstorm.invalid:<port>`. Observed with containerd 1.6.20 (Go resolver):
 * `failed to do request: Head "http://dns-a.pullstorm.invalid:<port>/v2/pullstorm/tiny/manifests/
 * 1.0?ns=<gateway>%3A<port>": dial tcp: lookup dns-a-xxx….pullstorm.invalid: no such
 * host` — `?ns=` because the host asked is not the one in the image reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContainerNode,
  cleanupContainerNodes,
  networkGateway,
  startContainerNode,
} from '../../../harness/backends/container-node/index.ts';
import { dockerStatus } from '../../../harness/containers/index.ts';
import { unresolvableHost } from '../../../registry-stubs/faults/net/dns.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { expectClassified, pullAndRemove, pullFailure, withFault } from './helpers.ts';

const docker = await dockerStatus();
const runId = `faults-${crypto.randomUUID().slice(0, 8)}`;

describe.skipIf(!docker.available)(
  `dns through a containerd container node${docker.available ? '' : ` (skipped: ${docker.reason})`}`,
  () => {
    let registry: RunningRegistry;
    let node: ContainerNode;
    let gateway: string;
    let host: string;
    let ref: string;

    beforeAll(async () => {
      gateway = await networkGateway();
      registry = await startRegistry({
        images: fixtureImages({ include: ['tiny'] }),
        auth: { mode: 'token', anonymous: [{ repository: '*', actions: ['pull'] }] },
        endpoints: [{ name: 'dns-a', host: gateway }],
      });
      const door = registry.endpoints[0]!;
      host = `${door.host}:${door.port}`;
      ref = `${host}/pullstorm/tiny:1.0`;
      node = await startContainerNode({
        runId,
        name: 'dns-a',
        sandboxImage: ref,
        registries: [{ host, server: `http://${host}` }],
      });
    });
    afterAll(async () => {
      const results = await Promise.allSettled<unknown>([node?.stop(), registry?.close()]);
      // Whatever a failed start left behind under this run id.
      results.push(...(await Promise.allSettled<unknown>([cleanupContainerNodes(runId)])));
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (errors.length) throw new AggregateError(errors, 'dns teardown failed');
    });

    it('dns: hosts.toml pointed at <node>.pullstorm.invalid fails with "no such host"', async () => {
      await pullAndRemove(node, ref);
      const bad = `${unresolvableHost('dns-a')}:${registry.endpoints[0]!.port}`;
      await node.writeRegistry({ host, server: `http://${bad}` });
      let text: string;
      try {
        ({ text } = await pullFailure(node, ref));
      } finally {
        await node.writeRegistry({ host, server: `http://${host}` });
      }
      expect(text).toBe(
        `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: ` +
          `Head "http://${bad}/v2/pullstorm/tiny/manifests/1.0?ns=${encodeURIComponent(host)}": ` +
          `dial tcp: lookup ${unresolvableHost('dns-a')}: no such host`,
      );
      expectClassified('dns', ref, text);
      await pullAndRemove(node, ref);
    });

    it('auth-token-endpoint (dns): a realm that does not resolve', async () => {
      const { text } = await withFault(
        registry,
        { fault: 'auth-token-endpoint', options: { status: 'dns' } },
        () => pullFailure(node, ref),
      );
      expect(text).toBe(
        `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to authorize: ` +
          `failed to fetch anonymous token: Get "http://${unresolvableHost('auth')}/token?scope=repository%3Apullstorm%2Ftiny%3Apull&service=pullstorm": ` +
          `dial tcp: lookup ${unresolvableHost('auth')}: no such host`,
      );
      expectClassified('auth-token-endpoint', ref, text);
      await pullAndRemove(node, ref);
    });
  },
);
