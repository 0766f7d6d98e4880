/**
 * dns against real containerd, a process node, with every lookup kept on this machine. The machine's
 * resolver (/etc/resolv.conf: 10.255.255.53) is not on it, so the node runs with `nameserver`: its
 * containerd sees a private /etc/resolv.conf naming the harness's NXDOMAIN responder on a loopback
 * address, which records every name it is asked.
 *
 * The dns fault, as the runner applies it: the node's hosts.toml `server` becomes
 * `http://<unresolvableHost(node)>:<port>`, whose first label is one character too long for DNS, so
 * Go's resolver fails it before asking anyone. Observed with containerd 1.6.20: `failed to do request:
 * Head "http://dns-a-xxx….pullstorm.invalid:<port>/v2/pullstorm/tiny/manifests/1.0?ns=127.0.0.1%3A<port>":
 * dial tcp: lookup dns-a-xxx….pullstorm.invalid: no such host` — no ` on <server>` (no query was
 * sent; the responder saw none) and `?ns=` because the host asked is not the one in the image reference.
 * The control, a name of legal length, is asked (`lookup … on 127.53.x.y:53`), so the responder's
 * silence for the fault's name is a measurement, not an accident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireNxdomainResolver,
  type NxdomainResolver,
} from '../../../harness/backends/containerd/nxdomain.ts';
import {
  goNoSuchHost,
  UNRESOLVABLE_DOMAIN,
  unresolvableHost,
} from '../../../registry-stubs/faults/net/dns.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';
import {
  type Bench,
  type BenchNode,
  expectClassified,
  pullAndRemove,
  pullFailure,
  startBench,
  withFault,
} from './helpers.ts';

const containerd = await containerdStatus();

/**
 * This test's own responder address: runs in other test processes share LOCAL_NAMESERVER (the
 * responder binds with SO_REUSEADDR), and the kernel hands a datagram to one of the sockets bound
 * there, so a query of this node's could be recorded by another process and "asked"/"not asked"
 * would prove nothing. Any 127/8 address is on the loopback interface.
 */
const OWN_NAMESERVER = `127.53.${1 + Math.floor(Math.random() * 254)}.${2 + Math.floor(Math.random() * 253)}`;

describe.skipIf(!containerd.available)(`dns through a containerd node${skipNote(containerd)}`, () => {
  let resolver: NxdomainResolver;
  let bench: Bench;
  let node: BenchNode;
  let ref: string;

  beforeAll(async () => {
    resolver = await acquireNxdomainResolver(OWN_NAMESERVER);
    bench = await startBench({
      registry: {
        images: fixtureImages({ include: ['tiny'] }),
        auth: { mode: 'token', anonymous: [{ repository: '*', actions: ['pull'] }] },
      },
      nodes: [{ name: 'dns-a', nameserver: OWN_NAMESERVER }],
    });
    node = bench.node('dns-a');
    ref = node.ref();
  });
  afterAll(async () => {
    const results = await Promise.allSettled([bench?.close(), resolver?.release()]);
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    if (errors.length) throw new AggregateError(errors, 'dns teardown failed');
  });

  /** Points the node's namespace for its own door at `server` for one failing pull, then back. */
  async function failingPullVia(server: string): Promise<string> {
    await node.node.writeRegistry({ host: node.host, server: `http://${server}` });
    try {
      return (await pullFailure(node, ref)).text;
    } finally {
      await node.node.writeRegistry({ host: node.host, server: `http://${node.host}` });
    }
  }

  const headFailed = (server: string) =>
    `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: ` +
    `Head "http://${server}/v2/pullstorm/tiny/manifests/1.0?ns=${encodeURIComponent(node.host)}": `;

  it('dns: hosts.toml pointed at <node>.pullstorm.invalid fails with "no such host" and sends no query', async () => {
    await pullAndRemove(node, ref);
    const asked = resolver.asked.length;
    const bad = unresolvableHost('dns-a');
    const text = await failingPullVia(`${bad}:${node.door.port}`);
    expect(text).toBe(headFailed(`${bad}:${node.door.port}`) + goNoSuchHost(bad));
    expect(resolver.asked.slice(asked)).toEqual([]);
    expectClassified('dns', ref, text);
    await pullAndRemove(node, ref);
  });

  it("a name of legal length is asked of the local responder, never of the machine's resolver", async () => {
    const asked = resolver.asked.length;
    const legal = `dns-a.${UNRESOLVABLE_DOMAIN}`;
    const text = await failingPullVia(`${legal}:${node.door.port}`);
    expect(text).toBe(headFailed(`${legal}:${node.door.port}`) + goNoSuchHost(legal, `${OWN_NAMESERVER}:53`));
    expect(new Set(resolver.asked.slice(asked))).toEqual(new Set([legal]));
    expectClassified('dns', ref, text);
    await pullAndRemove(node, ref);
  });

  it('auth-token-endpoint (dns): a realm that does not resolve, with no query sent', async () => {
    const asked = resolver.asked.length;
    const { text } = await withFault(
      bench.registry,
      { fault: 'auth-token-endpoint', options: { status: 'dns' } },
      () => pullFailure(node, ref),
    );
    expect(text).toBe(
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to authorize: ` +
        `failed to fetch anonymous token: Get "http://${unresolvableHost('auth')}/token?scope=repository%3Apullstorm%2Ftiny%3Apull&service=pullstorm": ` +
        goNoSuchHost(unresolvableHost('auth')),
    );
    expect(resolver.asked.slice(asked)).toEqual([]);
    expectClassified('auth-token-endpoint', ref, text);
    await pullAndRemove(node, ref);
  });
});
