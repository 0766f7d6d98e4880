/**
 * Access to the Docker engine through testcontainers' client, with the settings this host needs and a
 * clear error when there is no engine. Every other module in this folder gets its client from here, so
 * the environment is in place before testcontainers reads it.
 */

import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { PullstormError } from '../../vocab/errors.ts';

// No registry is reachable, so Ryuk (an image testcontainers pulls) cannot run; pullstorm removes its
// own containers by label instead (cleanup.ts). Docker publishes ports on the local engine, so the
// mapped ports are on localhost. `??=` keeps an explicit user choice (e.g. a remote engine).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

/** Thrown when no Docker engine answers; callers catch it by `code` to skip or explain. */
export class DockerUnavailableError extends PullstormError {
  /** Stable code: `DOCKER_UNAVAILABLE`. */
  readonly code = 'DOCKER_UNAVAILABLE';
  constructor(cause: unknown) {
    super(
      'Docker is not available: no engine answered on DOCKER_HOST or /var/run/docker.sock. ' +
        'Install it (`apt-get install docker.io`) and start the daemon (`systemctl start docker`, or ' +
        '`dockerd &` as root where there is no systemd), then check with `docker info`.',
      { cause },
    );
    this.name = 'DockerUnavailableError';
  }
}

let client: Promise<ContainerRuntimeClient> | undefined;

/** The testcontainers client for the local engine; throws DockerUnavailableError when there is none. */
export function dockerClient(): Promise<ContainerRuntimeClient> {
  client ??= getContainerRuntimeClient().then(
    async (found) => {
      // testcontainers finds a strategy from config alone; a ping proves the engine answers.
      await found.container.dockerode.ping();
      return found;
    },
    (error: unknown) => {
      throw new DockerUnavailableError(error);
    },
  );
  // A failed probe is not cached: the user may start dockerd and retry in the same process.
  client.catch(() => {
    client = undefined;
  });
  return client.catch((error: unknown) => {
    throw error instanceof DockerUnavailableError ? error : new DockerUnavailableError(error);
  });
}

/** Whether a Docker engine answers; the reason when it does not (for test skips and `doctor`). */
export async function dockerStatus(): Promise<{ available: true } | { available: false; reason: string }> {
  try {
    await dockerClient();
    return { available: true };
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
}
