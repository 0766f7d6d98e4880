/**
 * A stub Deployment run as the kubelet would run it, minus the cluster: its `$(VAR)` arguments
 * expanded from the Secrets its env names, its TLS Secret written where the volume would mount it,
 * and the arguments parsed by `pullstorm serve`'s own parser and started with `startServe`. Only
 * the address changes: loopback and free ports instead of the image's `--host 0.0.0.0 --port 5000`
 * and the fixed control port, since tests share this machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import { TLS_MOUNT } from '../../../harness/backends/kubeconfig/stub-manifests.ts';
import { type ServeArgs, serveCommand, serveOptions } from '../../../harness/cli/commands/serve.ts';
import { buildParser } from '../../../harness/cli/parser.ts';
import { type ServeReady, startServe } from '../../../registry-stubs/serve/serve-registry.ts';

/** `serve` arguments after the image's entrypoint, parsed by serve's own parser (throws on a usage error). */
export async function parseServeArgs(args: string[]): Promise<ServeArgs> {
  const parsed = await buildParser(
    ['serve', '--host', '0.0.0.0', '--port', '5000', ...args],
    [{ ...serveCommand, handler: () => undefined }],
  )
    .fail((message) => {
      throw new Error(message);
    })
    .parseAsync();
  return parsed as unknown as ServeArgs;
}

/** `$(VAR)` in `args` replaced as the kubelet does, from the secretKeyRefs of the container's env. */
export function expandArgs(deployment: V1Deployment, secrets: readonly V1Secret[]): string[] {
  const container = deployment.spec!.template.spec!.containers[0]!;
  const values = new Map<string, string>();
  for (const env of container.env ?? []) {
    const ref = env.valueFrom?.secretKeyRef;
    const secret = secrets.find((s) => s.metadata?.name === ref?.name);
    const data = ref === undefined ? undefined : secret?.data?.[ref.key];
    if (data !== undefined) values.set(env.name, Buffer.from(data, 'base64').toString('utf8'));
  }
  return (container.args ?? []).map((a) => a.replace(/\$\(([A-Z0-9_]+)\)/g, (m, v) => values.get(v) ?? m));
}

/** Runs the Deployment's stub; its mounted TLS Secret goes to `dir`. */
export async function serveDeployment(
  deployment: V1Deployment,
  secrets: readonly V1Secret[],
  dir: string,
): Promise<{ ready: ServeReady; close(): Promise<void> }> {
  const volume = deployment.spec!.template.spec!.volumes?.find((v) => v.name === 'tls');
  const tls = secrets.find((s) => s.metadata?.name === volume?.secret?.secretName);
  await mkdir(dir, { recursive: true });
  for (const [key, value] of Object.entries(tls?.data ?? {}))
    await writeFile(join(dir, key), Buffer.from(value, 'base64'), { mode: 0o600 });
  const args = expandArgs(deployment, secrets).map((a) =>
    a.startsWith(`${TLS_MOUNT}/`) ? join(dir, a.slice(TLS_MOUNT.length + 1)) : a,
  );
  const options = serveOptions(await parseServeArgs(args));
  return startServe({ ...options, host: '127.0.0.1', port: 0, controlPort: 0 });
}
