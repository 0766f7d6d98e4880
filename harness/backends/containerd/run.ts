/**
 * Running one container on a node the way kubelet does: RunPodSandbox (host network, the node's
 * sandbox image), pull if absent, CreateContainer, StartContainer, then ContainerStatus polling.
 *
 * Observed with containerd 1.6.20 + runc 1.1.5 for a binary of the wrong architecture: the pull
 * succeeds, StartContainer succeeds, and the container exits at once with state
 * CONTAINER_EXITED, exitCode 1, reason `Error`, message `` (empty). The text is only in the
 * container's log (stderr): `exec /<path>: exec format error`. So the result carries the log.
 * A missing executable instead fails StartContainer itself (code Unknown, `failed to create
 * containerd task: failed to create shim task: OCI runtime create failed: runc create failed:
 * unable to start container process: exec: "/x": stat /x: no such file or directory: unknown`)
 * and the status then reads exitCode 128, reason `StartError`, message = that text.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CriError } from './cri/errors.ts';
import type { ContainerConfig, ContainerState, NamespaceOption, PodSandboxConfig } from './cri/types.ts';
import type { ContainerdNode } from './node.ts';

/** Options of {@link runPod}. */
export interface RunPodOptions {
  /** Pod name (the sandbox's metadata name). Required. */
  name: string;
  /** Image reference to run; pulled first when absent (IfNotPresent). Required. */
  image: string;
  /** Entrypoint override. Default: the image's. */
  command?: string[];
  /** Arguments. Default: the image's. */
  args?: string[];
  /** Longest time to watch the container after start. Default 5 000 ms. */
  observeMs?: number;
}

/** What happened to the container; also the handle to remove the pod. */
export interface PodRun extends AsyncDisposable {
  podSandboxId: string;
  containerId: string;
  state: ContainerState;
  exitCode: number;
  reason: string;
  message: string;
  /** The container's output (stdout and stderr, in order), from its CRI log file. */
  log: string;
  /** StartContainer's error, when start itself failed. */
  startError?: CriError;
  /** Stops and removes the pod sandbox (idempotent). */
  remove(): Promise<void>;
}

/** The text of a CRI log file (`<time> <stream> <P|F> <text>` lines; P = partial line). */
export function parseCriLog(text: string): string {
  let out = '';
  for (const line of text.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([PF]) (.*)$/.exec(line);
    if (m) out += m[1] === 'P' ? m[2] : `${m[2]}\n`;
  }
  return out;
}

/** How long a container must keep running after start to count as up. */
const runningGraceMs = 1_000;

const hostNetwork: NamespaceOption = { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' };

/** Runs `image` in a new pod on `node` and reports how the container fares. */
export async function runPod(node: ContainerdNode, options: RunPodOptions): Promise<PodRun> {
  const { cri } = node;
  const uid = randomUUID();
  const labels = { 'pullstorm.io/run-id': node.runId, 'pullstorm.io/node': node.name };
  const sandboxConfig: PodSandboxConfig = {
    metadata: { name: options.name, uid, namespace: 'pullstorm', attempt: 0 },
    logDirectory: join(node.podLogDir, `${options.name}_${uid}`),
    labels,
    // Host networking: containerd then needs no CNI; the cgroup parent keeps pods findable.
    linux: { cgroupParent: node.cgroupParent, securityContext: { namespaceOptions: hostNetwork } },
  };
  const podSandboxId = await cri.runPodSandbox(sandboxConfig);
  let removed: Promise<void> | undefined;
  const remove = () => {
    removed ??= cri.stopPodSandbox(podSandboxId).then(() => cri.removePodSandbox(podSandboxId));
    return removed;
  };
  try {
    if (!(await cri.imageStatus(options.image))) await cri.pullImage(options.image, { sandboxConfig });
    const config: ContainerConfig = {
      metadata: { name: 'main', attempt: 0 },
      image: { image: options.image },
      command: options.command,
      args: options.args,
      logPath: 'main.log',
      labels,
      linux: { securityContext: { namespaceOptions: hostNetwork } },
    };
    const containerId = await cri.createContainer(podSandboxId, config, sandboxConfig);
    let startError: CriError | undefined;
    await cri.startContainer(containerId).catch((err: unknown) => {
      if (!(err instanceof CriError)) throw err;
      startError = err;
    });
    const logFile = join(sandboxConfig.logDirectory!, 'main.log');
    const readLog = async () => parseCriLog(await readFile(logFile, 'utf8').catch(() => ''));
    const started = Date.now();
    const until = started + (options.observeMs ?? 5_000);
    let status = await cri.containerStatus(containerId);
    let log = await readLog();
    // Settled: exited, or still running a while after writing something (the fixture prints and
    // blocks). The grace matters: runc writes `exec format error` to the log just before the exit
    // is recorded, so "running with output" alone would catch a container about to die.
    const settled = () =>
      status.state === 'CONTAINER_EXITED' ||
      (status.state === 'CONTAINER_RUNNING' && log !== '' && Date.now() - started >= runningGraceMs);
    while (Date.now() < until && !settled()) {
      await sleep(100);
      status = await cri.containerStatus(containerId);
      log = await readLog();
    }
    if (status.state === 'CONTAINER_EXITED') log = await readLog(); // the last lines may land after exit
    const { state, exitCode, reason, message } = status;
    return {
      podSandboxId,
      containerId,
      state,
      exitCode,
      reason,
      message,
      log,
      startError,
      remove,
      [Symbol.asyncDispose]: remove,
    };
  } catch (err) {
    await remove().catch(() => undefined); // the original error matters more than cleanup's
    throw err;
  }
}
