/**
 * A container mirror: any mirror image (distribution's `registry:2`, Zot, …) run with
 * testcontainers for one run, its env, args and files templated with the origin's URL as the
 * container reaches it (`{{origin}}`: a door of the origin on the Docker bridge's gateway, the
 * host's own address there, which every container on the bridge reaches). Ready when `GET /v2/` on its port
 * answers 200 or 401 (a registry that wants credentials is up too). It carries the run-id labels,
 * so `pullstorm clean --run-id` removes it if the run is killed. Nodes reach it through one door
 * each (doors.ts), so connection faults scoped to it act per node, as on a process mirror.
 */
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { dockerClient } from '../containers/docker.ts';
import { runLabels } from '../containers/labels.ts';
import { fillTemplate } from '../scenario/mirror-targets.ts';
import type { ContainerMirror } from '../scenario/resolved.ts';
import { type MirrorDoors, openMirrorDoors } from './doors.ts';
import { MirrorNotReadyError } from './process.ts';

/** Options of {@link startContainerMirror}. */
export interface ContainerMirrorOptions {
  runId: string;
  /** The mirror's name in the scenario. */
  name: string;
  spec: ContainerMirror;
  /** `http://host:port` of the origin as the container reaches it (`{{origin}}`). */
  origin: string;
  /** One door per node. */
  endpoints: readonly { name: string; host: string }[];
  onFaultEvent?: Parameters<typeof openMirrorDoors>[0]['onFaultEvent'];
  now?: () => number;
  /** How long to wait for `/v2/`; default 60 s. */
  readyTimeoutMs?: number;
}

/** A started container mirror: its doors, the container, and its URL from this machine. */
export interface StartedContainerMirror extends MirrorDoors {
  /** `http://localhost:<mapped port>`. */
  readonly url: string;
  readonly container: StartedTestContainer;
  /** The last lines the container printed. */
  logTail(lines?: number): string;
}

/** The spec with every template filled (pure). */
function filledSpec(spec: ContainerMirror, values: { origin: string; name: string }): ContainerMirror {
  const vars = { ...values, port: String(spec.port) };
  const fill = (text: string) => fillTemplate(text, vars);
  return {
    image: spec.image,
    port: spec.port,
    env: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fill(v)])),
    ...(spec.args ? { args: spec.args.map(fill) } : {}),
    files: Object.fromEntries(Object.entries(spec.files).map(([k, v]) => [k, fill(v)])),
  };
}

/** Starts the container and its doors; on failure removes the container and says why with its log tail. */
export async function startContainerMirror(o: ContainerMirrorOptions): Promise<StartedContainerMirror> {
  await dockerClient(); // a clear DockerUnavailableError rather than testcontainers' own
  const spec = filledSpec(o.spec, { origin: o.origin, name: o.name });
  const lines: string[] = [];
  const logTail = (n = 20) => lines.slice(-n).join('\n');
  const containerName = `pullstorm-${o.runId}-mirror-${o.name}-${crypto.randomUUID().slice(0, 8)}`;
  let container = new GenericContainer(spec.image)
    .withLabels(runLabels(o.runId, 'mirror'))
    .withName(containerName)
    .withExposedPorts(spec.port)
    .withEnvironment(spec.env)
    .withLogConsumer((stream) => {
      stream.on('data', (chunk: Buffer | string) => {
        lines.push(...String(chunk).trimEnd().split('\n'));
        if (lines.length > 200) lines.splice(0, lines.length - 200);
      });
    })
    .withWaitStrategy(
      Wait.forHttp('/v2/', spec.port, { abortOnContainerExit: true }).forStatusCodeMatching(
        (s) => s === 200 || s === 401,
      ),
    )
    .withStartupTimeout(o.readyTimeoutMs ?? 60_000);
  if (spec.args) container = container.withCommand(spec.args);
  const files = Object.entries(spec.files).map(([target, content]) => ({ content, target }));
  if (files.length > 0) container = container.withCopyContentToContainer(files);
  let started: StartedTestContainer;
  try {
    started = await container.start();
  } catch (error) {
    // A container that exits at once may be gone before the log stream attaches: ask the engine.
    const engineTail = await removeReadingLog(containerName);
    const tail = logTail() || engineTail;
    throw new MirrorNotReadyError(
      `mirror ${o.name} (container ${spec.image}) did not answer GET /v2/ with 200 or 401: ${(error as Error).message}; last lines of its log:\n${tail || '(empty)'}`,
      { cause: error },
    );
  }
  try {
    const port = started.getMappedPort(spec.port);
    const doors = await openMirrorDoors({
      what: `mirror ${o.name} (container ${spec.image})`,
      endpoints: o.endpoints,
      port,
      ...(o.onFaultEvent ? { onFaultEvent: o.onFaultEvent } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
    return {
      ...doors,
      url: `http://localhost:${port}`,
      container: started,
      logTail,
      async close() {
        // The container goes even when a door fails to close; that failure is still thrown.
        try {
          await doors.close();
        } finally {
          await started.stop({ remove: true, removeVolumes: true });
        }
      },
    };
  } catch (error) {
    await started.stop({ remove: true, removeVolumes: true }).catch(() => undefined);
    throw error;
  }
}

/** The last lines container `name` printed, then the container force-removed; empty when it is gone. */
async function removeReadingLog(name: string): Promise<string> {
  const docker = (await dockerClient()).container.dockerode;
  const container = docker.getContainer(name);
  const raw = await container.logs({ stdout: true, stderr: true, tail: 20 }).catch(() => undefined);
  await container.remove({ force: true, v: true }).catch(() => undefined);
  return raw === undefined ? '' : demux(Buffer.from(raw as unknown as Uint8Array)).trim();
}

/** The text of Docker's multiplexed log stream: frames of an 8-byte header (stream, 0, 0, 0, size BE) and data. */
export function demux(raw: Buffer): string {
  let text = '';
  let at = 0;
  while (at + 8 <= raw.length && raw[at]! <= 2 && raw.readUIntBE(at + 1, 3) === 0) {
    const size = raw.readUInt32BE(at + 4);
    text += raw.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  // A TTY container's log is not multiplexed: take it as it is.
  return at === 0 ? raw.toString('utf8') : text;
}
