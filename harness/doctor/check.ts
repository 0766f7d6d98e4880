/**
 * `pullstorm doctor`'s checks: each external tool and each machine condition, what it disables
 * when missing and how to get it. Never throws for a missing piece: it reports it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runtimeVersion } from '../runtime.ts';
import { REQUIREMENTS } from './requirements.ts';

const run = promisify(execFile);

/** The outcome of one check. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** Version or state when ok; what is wrong when not. */
  detail: string;
  /** What does not work when not ok. */
  disables: string;
  /** How to fix it. */
  fix?: string;
  essential: boolean;
}

async function firstLine(bin: string, args: string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(bin, args, { timeout: 10_000 });
    return (stdout || stderr).trim().split('\n')[0] ?? '';
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string };
    if (e.code === 'ENOENT') return null;
    return (e.stdout ?? '').trim().split('\n')[0] || 'present (version unknown)';
  }
}

async function tools(): Promise<CheckResult[]> {
  return Promise.all(
    REQUIREMENTS.map(async (req) => {
      const version = await firstLine(req.bin, req.versionArgs);
      return {
        name: req.bin,
        ok: version !== null,
        detail: version ?? 'not found on PATH',
        disables: req.disables,
        fix: req.apt ? `apt-get install ${req.apt} (or npm run setup as root)` : req.install,
        essential: req.essential,
      };
    }),
  );
}

async function conditions(): Promise<CheckResult[]> {
  const root = process.getuid?.() === 0;
  const docker = await firstLine('docker', ['info', '--format', '{{.ServerVersion}}']);
  const deno = await firstLine('node_modules/.bin/deno', ['--version']);
  return [
    { name: 'runtime', ok: true, detail: runtimeVersion(), disables: '', essential: true },
    {
      name: 'root',
      ok: root,
      detail: root ? 'running as root' : `running as uid ${process.getuid?.()}`,
      disables: 'containerd nodes (they mount overlay and tmpfs filesystems and create cgroups)',
      fix: 'run pullstorm as root (sudo), or use the kind or kubeconfig backend',
      essential: true,
    },
    {
      name: 'docker engine',
      ok: docker !== null && /^\d/.test(docker),
      detail: docker && /^\d/.test(docker) ? `engine ${docker}` : 'no engine answers on the Docker socket',
      disables:
        'the stub as a container (`pullstorm image build`), container mirrors, the kind backend, the Docker tests',
      fix: 'apt-get install docker.io, then start dockerd (npm run setup does both as root)',
      essential: false,
    },
    {
      name: 'deno',
      ok: deno !== null,
      detail: deno ?? 'node_modules/.bin/deno missing',
      disables: 'the Deno smoke run',
      fix: 'npm ci (the deno package brings it)',
      essential: false,
    },
  ];
}

/** Runs every check; `ready` is true when all essential ones pass. */
export async function doctor(): Promise<{ ready: boolean; checks: CheckResult[] }> {
  const checks = [...(await conditions()), ...(await tools())];
  return { ready: checks.every((c) => c.ok || !c.essential), checks };
}

/** Renders the checks as a terminal table, with fixes for what is missing. */
export function formatDoctor(result: { ready: boolean; checks: CheckResult[] }): string {
  const width = Math.max(...result.checks.map((c) => c.name.length));
  const lines = result.checks.map(
    (c) => `${c.ok ? 'ok     ' : c.essential ? 'MISSING' : 'missing'}  ${c.name.padEnd(width)}  ${c.detail}`,
  );
  const missing = result.checks.filter((c) => !c.ok);
  if (missing.length > 0) lines.push('');
  for (const c of missing)
    lines.push(`${c.name}: missing, which disables ${c.disables}.${c.fix ? ` Fix: ${c.fix}.` : ''}`);
  lines.push(
    '',
    result.ready
      ? 'ready: the embedded backend can run the built-in suite'
      : 'not ready: an essential piece is missing (see above)',
  );
  return `${lines.join('\n')}\n`;
}
