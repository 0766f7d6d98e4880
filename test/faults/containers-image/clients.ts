/**
 * The second client family: containers/image, the Go library behind podman, skopeo, buildah and
 * CRI-O. `skopeo copy docker://… dir:…` and `podman pull` fetch the manifest, the config and every
 * layer (a whole pull, not just a resolve). Each run gets its own temporary storage and signature
 * policy, so nothing touches the machine's /var/lib/containers. Neither helper ever rejects.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one client run printed. */
export interface ClientRun {
  ok: boolean;
  /** stderr (where both print errors and retries, even when they exit 0), logrus's `\"` unescaped. */
  out: string;
}

/** Options of a pull. */
export interface PullOptions {
  /** Directory with the CA (`ca.crt`) to trust; without it TLS is not verified. */
  certDir?: string;
  /** `user:password`; default none (anonymous). */
  creds?: string;
  /** Upper bound for the run; default 60 s. */
  timeoutMs?: number;
}

/** Whether a binary answers `--version`. */
export async function available(binary: string): Promise<boolean> {
  return run(binary, ['--version']).then(
    () => true,
    () => false,
  );
}

function tlsArgs(options: PullOptions): string[] {
  return options.certDir === undefined ? ['--tls-verify=false'] : ['--cert-dir', options.certDir];
}

async function execute(binary: string, args: string[], timeoutMs: number): Promise<ClientRun> {
  const text = (s: string) => s.replaceAll('\\"', '"').trim();
  return run(binary, args, { timeout: timeoutMs }).then(
    (r) => ({ ok: true, out: text(r.stderr) }),
    (e: { stderr?: string; message?: string }) => ({ ok: false, out: text(e.stderr || e.message || '') }),
  );
}

/** `skopeo copy docker://<ref> dir:<tmp>`: a whole pull into a throwaway directory. */
export async function skopeoPull(ref: string, options: PullOptions = {}): Promise<ClientRun> {
  const dir = await mkdtemp(join(tmpdir(), 'pullstorm-skopeo-'));
  try {
    const creds = options.creds === undefined ? [] : ['--src-creds', options.creds];
    const src =
      options.certDir === undefined ? ['--src-tls-verify=false'] : ['--src-cert-dir', options.certDir];
    return await execute(
      'skopeo',
      ['--insecure-policy', 'copy', ...src, ...creds, `docker://${ref}`, `dir:${join(dir, 'image')}`],
      options.timeoutMs ?? 60_000,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `podman pull <ref>` into throwaway vfs storage, accepting any signature. */
export async function podmanPull(ref: string, options: PullOptions = {}): Promise<ClientRun> {
  const dir = await mkdtemp(join(tmpdir(), 'pullstorm-podman-'));
  try {
    const policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const storage = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs'];
    const creds = options.creds === undefined ? [] : ['--creds', options.creds];
    return await execute(
      'podman',
      [...storage, 'pull', '--quiet', '--signature-policy', policy, ...tlsArgs(options), ...creds, ref],
      options.timeoutMs ?? 60_000,
    );
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
