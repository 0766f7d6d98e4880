/**
 * Each kind node's `/etc/containerd/certs.d`, written on the host (config.ts mounts it): one
 * directory per registry `host:port` with a hosts.toml (the containerd renderer, hosts.ts) and the
 * registry's CA. The stub containers answer on the Docker network under the registry's own host name
 * (registry.ts), so `server` is the image reference's host itself: containerd sends pull-secret
 * credentials only to the host they were given for, and a mirror-style redirect to another name would
 * drop them.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type HostsConfig, hostNamespaceDir, renderHostsToml } from '../containerd/hosts.ts';
import { CERTS_D } from './config.ts';

/** One registry as every node sees it. */
export interface NodeRegistryHost {
  /** The scenario registry (fault scopes name it). */
  registry: string;
  /** `host:port` as in image references, e.g. `hub.pullstorm.test:5000`. */
  host: string;
  /** URL containerd uses, e.g. `https://hub.pullstorm.test:5000`. */
  server: string;
  /** CA PEM to trust for it (TLS registries); default none. */
  caPem?: string;
  /** Mirrors tried before `server`, in order, each with its own CA when it serves TLS; default none. */
  mirrors?: { url: string; caPem?: string }[];
}

/** The node-side path of a CA file in `host`'s directory. */
const caPath = (host: string, file: string) => `${CERTS_D}/${host}/${file}`;
/** Each stub has its own CA; a mirror's is `mirror-<i>.crt` beside the registry's `ca.crt`. */
const mirrorCaFile = (i: number) => `mirror-${i}.crt`;

/** The hosts.toml of `r`, with file paths as the node sees them (pure). */
export function nodeHostsConfig(r: NodeRegistryHost): HostsConfig {
  return {
    server: r.server,
    ...(r.caPem ? { ca: caPath(r.host, 'ca.crt') } : {}),
    hosts: (r.mirrors ?? []).map((m, i) => ({
      url: m.url,
      capabilities: ['pull', 'resolve'],
      ...(m.caPem ? { ca: caPath(r.host, mirrorCaFile(i)) } : {}),
    })),
  };
}

/** Writes `dir/<host:port>/hosts.toml` (and `ca.crt`) for each registry; replaces what was there. */
export async function writeNodeCertsD(dir: string, registries: readonly NodeRegistryHost[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const r of registries) {
    const hostDir = hostNamespaceDir(dir, r.host);
    await mkdir(hostDir, { recursive: true });
    if (r.caPem) await writeFile(join(hostDir, 'ca.crt'), r.caPem);
    for (const [i, m] of (r.mirrors ?? []).entries())
      if (m.caPem) await writeFile(join(hostDir, mirrorCaFile(i)), m.caPem);
    // Write then rename: a pull racing a mid-run rewrite (dns fault) reads the old or the new file,
    // never half of one. The directory is bind-mounted, so the node sees the rename.
    const file = join(hostDir, 'hosts.toml');
    await writeFile(`${file}.tmp`, renderHostsToml(nodeHostsConfig(r)));
    await rename(`${file}.tmp`, file);
  }
}

/** Removes a node's certs.d directory (teardown). */
export async function removeNodeCertsD(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
