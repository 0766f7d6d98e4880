/**
 * A stub Deployment run as the kubelet would run it, minus the cluster: its env resolved from the
 * Secrets it names, its Secret volumes (TLS, users) written where they would mount, and the arguments
 * parsed by `pullstorm serve`'s own parser and started with `startServe`. Only
 * the address changes: loopback and free ports instead of the image's `--host 0.0.0.0 --port 5000`
 * and the fixed control port, since tests share this machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import { vi } from 'vitest';
import { type ServeArgs, serveCommand, serveOptions } from '../../../harness/cli/commands/serve.ts';
import { buildParser } from '../../../harness/cli/parser.ts';
import { type ServeReady, startServe } from '../../../registry-stubs/serve/serve-registry.ts';
import { CONTROL_TOKEN_ENV } from '../../../registry-stubs/serve/serve-secrets.ts';

/**
 * `serve` arguments after the image's entrypoint, parsed by serve's own parser (throws on a usage
 * error) in the container's environment `env`, which replaces this process's for the parse.
 */
export async function parseServeArgs(args: string[], env: NodeJS.ProcessEnv): Promise<ServeArgs> {
  vi.stubEnv(CONTROL_TOKEN_ENV, env[CONTROL_TOKEN_ENV]);
  try {
    const parsed = await buildParser(
      ['serve', '--host', '0.0.0.0', '--port', '5000', ...args],
      [{ ...serveCommand, handler: () => undefined }],
    )
      .fail((message) => {
        throw new Error(message);
      })
      .parseAsync();
    return parsed as unknown as ServeArgs;
  } finally {
    vi.unstubAllEnvs();
  }
}

/** The container's environment, its secretKeyRefs resolved from `secrets` as the kubelet does. */
export function containerEnv(deployment: V1Deployment, secrets: readonly V1Secret[]): NodeJS.ProcessEnv {
  const container = deployment.spec!.template.spec!.containers[0]!;
  const env: NodeJS.ProcessEnv = {};
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    const secret = secrets.find((s) => s.metadata?.name === ref?.name);
    const data = ref === undefined ? e.value : secret?.data?.[ref.key];
    if (data !== undefined)
      env[e.name] = ref === undefined ? data : Buffer.from(data, 'base64').toString('utf8');
  }
  return env;
}

/**
 * Writes each Secret volume the container mounts under `dir/<volume>` (as the kubelet would mount
 * it) and returns the argument mapper: a path under a mount path becomes the same file under `dir`.
 */
async function mountSecretVolumes(
  deployment: V1Deployment,
  secrets: readonly V1Secret[],
  dir: string,
): Promise<(arg: string) => string> {
  const pod = deployment.spec!.template.spec!;
  const mounts = new Map<string, string>();
  for (const mount of pod.containers[0]!.volumeMounts ?? []) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    const secret = secrets.find((s) => s.metadata?.name === volume?.secret?.secretName);
    const at = join(dir, mount.name);
    await mkdir(at, { recursive: true });
    for (const [key, value] of Object.entries(secret?.data ?? {}))
      await writeFile(join(at, key), Buffer.from(value, 'base64'), { mode: 0o600 });
    mounts.set(`${mount.mountPath}/`, `${at}/`);
  }
  return (arg) => {
    for (const [from, to] of mounts) if (arg.startsWith(from)) return to + arg.slice(from.length);
    return arg;
  };
}

/** Runs the Deployment's stub with its Secret env and its Secret volumes written under `dir`. */
export async function serveDeployment(
  deployment: V1Deployment,
  secrets: readonly V1Secret[],
  dir: string,
): Promise<{ ready: ServeReady; close(): Promise<void> }> {
  const mapped = await mountSecretVolumes(deployment, secrets, dir);
  const args = (deployment.spec!.template.spec!.containers[0]!.args ?? []).map(mapped);
  const env = containerEnv(deployment, secrets);
  const parsed = await parseServeArgs(args, env);
  // serve reads the control token from its environment when no flag names one, as in the pod.
  const options = { ...serveOptions(parsed), controlToken: env[CONTROL_TOKEN_ENV] };
  return startServe({ ...options, host: '127.0.0.1', port: 0, controlPort: 0 });
}
