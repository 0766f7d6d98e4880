/**
 * Where a container (a `type: container` mirror) reaches the host. It sits on a Docker bridge network; the host owns the
 * bridge's gateway address, so a registry stub (or a per-node front door of the connection fault
 * layer) started in the harness process and bound to that address is reachable from every container on
 * the network, and from nowhere else: the traffic stays on this machine's own bridge.
 */
import { readFile } from 'node:fs/promises';
import { dockerClient } from './docker.ts';

interface NetworkInfo {
  Id: string;
  Driver?: string;
  IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] };
}

/** The IPv4 gateway of Docker network `network` (default `bridge`, usually 172.17.0.1). */
export async function networkGateway(network = 'bridge'): Promise<string> {
  const docker = (await dockerClient()).container.dockerode;
  const info = (await docker.getNetwork(network).inspect()) as NetworkInfo;
  const configured = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && !g.includes(':'));
  if (configured) return configured;
  // Docker 20.10 leaves the default bridge's gateway out of IPAM. It is the host's own address in
  // the subnet; os.networkInterfaces() hides a bridge with no containers yet (not RUNNING), so the
  // kernel's table of local addresses is read instead.
  const subnets = (info.IPAM?.Config ?? []).map((c) => c.Subnet).filter((n) => n && !n.includes(':'));
  const local = localAddresses(await readFile('/proc/net/fib_trie', 'utf8').catch(() => ''));
  const found = local.find((address) => subnets.some((subnet) => inSubnet(address, subnet!)));
  if (found) return found;
  throw new Error(
    `Docker network "${network}" (driver ${info.Driver ?? 'unknown'}, subnets ${subnets.join(', ') || 'none'}) ` +
      'has no IPv4 gateway on this host; containers that reach the harness need a bridge network of the local engine',
  );
}

/** The host's own IPv4 addresses (`/32 host LOCAL` entries) in /proc/net/fib_trie text (pure). */
export function localAddresses(fibTrie: string): string[] {
  const found = new Set<string>();
  let last: string | undefined;
  for (const line of fibTrie.split('\n')) {
    const leaf = /\|-- (\d+\.\d+\.\d+\.\d+)$/.exec(line.trim());
    if (leaf) last = leaf[1];
    else if (last && /\/32 host LOCAL/.test(line)) found.add(last);
  }
  return [...found];
}

const toNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** Whether IPv4 `address` is in `subnet` (`a.b.c.d/len`) (pure). */
export function inSubnet(address: string, subnet: string): boolean {
  const [base = '', bits = '32'] = subnet.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(address) / size) === Math.floor(toNumber(base) / size);
}
