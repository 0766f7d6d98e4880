/**
 * Checks before a run provisions anything, split by whose fault a failure is. What this build's
 * runner cannot do with a valid scenario is a scenario error (exit 2: the input must change), every
 * problem listed at once. A machine that lacks what the backend needs is an environment error
 * (exit 3: the harness cannot run here), never a product failure.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { EXIT, type ExitCode, PullstormError } from '../../vocab/errors.ts';
import { type Problem, ScenarioError } from '../../vocab/problem.ts';
import { hostPlatform } from '../backends/containerd/options.ts';
import { EMBEDDED_INFO } from '../backends/embedded/backend.ts';
import { KIND_INFO } from '../backends/kind/backend.ts';
import { KUBECONFIG_INFO } from '../backends/kubeconfig/backend.ts';
import { type BackendInfo, missingCapabilities } from '../backends/provider.ts';
import {
  containerMirrorsMissing,
  mirrorProblems,
  missingMirrorTools,
  unusableExternalMirrors,
} from '../mirrors/preflight.ts';
import type { BackendType } from '../scenario/model.ts';
import type { Scenario } from '../scenario/resolved.ts';

/** The machine cannot run the scenario's backend; the CLI exits 3 with this message. */
export class EnvironmentError extends PullstormError {
  override name = 'EnvironmentError';
  /** Stable code for callers that catch it. */
  readonly code = 'ENVIRONMENT_BROKEN';
  override readonly exitCode: ExitCode = EXIT.harness;
}

/** The smallest tmpfs root the containerd backend accepts. */
const MIN_DISK = 1024 * 1024;

/** The static capabilities of each backend type, known before anything is contacted. */
export function backendInfo(type: BackendType): BackendInfo {
  if (type === 'kind') return KIND_INFO;
  if (type === 'kubeconfig') return KUBECONFIG_INFO;
  return EMBEDDED_INFO;
}

/** Every reason this runner cannot run `scenario` as written on its backend; throws one ScenarioError. */
export function checkRunnable(scenario: Scenario, file?: string): void {
  const problems: Problem[] = [];
  const { type, nodes } = scenario.backend;
  for (const line of missingCapabilities(backendInfo(type), scenario)) {
    problems.push({ path: 'backend.type', message: `${line}; the containerd backend can` });
  }
  const virtual = nodes.filter((n) => n.kind === 'virtual').map((n) => n.name);
  if (type !== 'containerd' && virtual.length > 0) {
    const named =
      virtual.length > 5
        ? `${virtual.slice(0, 5).join(', ')} and ${virtual.length - 5} more`
        : virtual.join(', ');
    problems.push({
      path: 'backend.nodes',
      message: `backend ${type} runs real nodes only (virtual nodes need backend containerd), got virtual: ${named}`,
    });
  }
  const host = hostPlatform();
  for (const [i, n] of nodes.entries()) {
    if (type !== 'kubeconfig' && n.kind === 'real' && n.platform !== host) {
      problems.push({
        path: `backend.nodes[${i}]`,
        message: `node ${n.name}: a real node runs the host's platform (${host}), got ${n.platform}; use kind: virtual for other platforms`,
      });
    }
    if (type === 'kubeconfig' && n.diskBytes !== undefined) {
      problems.push({
        path: `backend.nodes[${i}].diskBytes`,
        message: `node ${n.name}: the kubeconfig backend never changes the cluster's nodes, so it cannot limit their disk; remove diskBytes`,
      });
    } else if (n.diskBytes !== undefined && n.diskBytes < MIN_DISK) {
      problems.push({
        path: `backend.nodes[${i}].diskBytes`,
        message: `expected at least 1Mi, got ${n.diskBytes}`,
      });
    }
  }
  for (const [i, f] of scenario.faults.entries()) {
    if (f.fault !== 'disk-full') continue;
    const scoped = nodes.filter((n) => !f.scope.nodes || f.scope.nodes.includes(n.name));
    const bare = scoped.filter((n) => n.kind !== 'real' || n.diskBytes === undefined).map((n) => n.name);
    if (f.scope.nodes && bare.length > 0) {
      problems.push({
        path: `faults[${i}].scope.nodes`,
        message: `disk-full fills a size-limited root: give ${bare.join(', ')} diskBytes (real nodes only)`,
      });
    } else if (scoped.length === bare.length) {
      problems.push({
        path: `faults[${i}]`,
        message: 'disk-full needs a real node with diskBytes; none has it',
      });
    }
  }
  problems.push(...mirrorProblems(scenario));
  if (problems.length > 0) throw new ScenarioError(problems, file);
}

/** Whether `bin` is an executable on PATH. */
export async function onPath(bin: string, path = process.env.PATH ?? ''): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** What this machine lacks to run real containerd nodes (containerd, runc, root); empty when nothing. */
export async function containerdMissing(): Promise<string[]> {
  const missing: string[] = [];
  if (!(await onPath('containerd'))) {
    missing.push('the containerd backend needs containerd: apt-get install containerd');
  }
  if (!(await onPath('runc')))
    missing.push('the containerd backend needs runc to start containers: apt-get install runc');
  if (!(await onPath('unshare'))) {
    missing.push(
      'the containerd backend needs unshare to give each node its own resolv.conf: apt-get install util-linux',
    );
  }
  if (process.getuid?.() !== 0) {
    missing.push(
      'the containerd backend needs root (it mounts filesystems, creates cgroups and serves its nodes DNS on port 53): run pullstorm as root',
    );
  }
  return missing;
}

/** Throws an EnvironmentError when the machine lacks what the scenario's nodes need. */
export async function checkEnvironment(scenario: Scenario): Promise<void> {
  // kind and kubeconfig say what they lack through detection (run/backend.ts).
  if (scenario.backend.type !== 'containerd') return;
  const missing = missingMirrorTools(scenario);
  missing.push(...(await unusableExternalMirrors(scenario)), ...(await containerMirrorsMissing(scenario)));
  if (scenario.backend.nodes.some((n) => n.kind === 'real')) missing.push(...(await containerdMissing()));
  if (missing.length > 0) {
    throw new EnvironmentError(`${missing.join('; ')} (or run \`pullstorm doctor\`)`);
  }
}
