/** Errors a caller sees before or instead of a container: bad options, no Docker, a stub that is not ready. */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  dockerClient,
  dockerStatus,
  LABEL_RUN_ID,
  startStubContainer,
} from '../../harness/containers/index.ts';

const docker = await dockerStatus();

describe('startStubContainer options', () => {
  it.each([
    [{ runId: '' }, /runId: expected 1-128 characters/],
    [{ runId: 'has space' }, /got "has space"/],
    [{ runId: 'r1', auth: 'basic' as const }, /auth: 'basic' needs at least one entry in users/],
    [{ runId: 'r1', networkAliases: ['x'] }, /networkAliases: given without network/],
  ])('%j is refused with a TypeError before Docker is used', async (options, message) => {
    const error = await startStubContainer(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });
});

// testcontainers falls back from a broken DOCKER_HOST to /var/run/docker.sock, so "no engine" is made
// by hiding the socket in a private mount namespace, which needs root and unshare(1).
const canHideSocket =
  process.getuid?.() === 0 && (await execa('unshare', ['-m', 'true'], { reject: false })).exitCode === 0;

describe.skipIf(!canHideSocket)(
  `without a Docker engine${canHideSocket ? '' : ' (skipped: needs root and unshare -m to hide the Docker socket)'}`,
  () => {
    it('dockerStatus says how to install and start Docker', async () => {
      const module = new URL('../../harness/containers/docker.ts', import.meta.url).href;
      const script = `import { dockerStatus } from '${module}'; console.log(JSON.stringify(await dockerStatus()));`;
      const hide = 'mount --bind /dev/null /var/run/docker.sock && exec "$0" --input-type=module -e "$1"';
      const { stdout } = await execa('unshare', ['-m', 'sh', '-c', hide, process.execPath, script], {
        env: { DOCKER_HOST: undefined },
        timeout: 30_000,
      });
      const status = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      expect(status.available).toBe(false);
      expect(status.reason).toMatch(/Docker is not available/);
      expect(status.reason).toContain('apt-get install docker.io');
      expect(status.reason).toContain('dockerd');
    });
  },
);

describe.skipIf(!docker.available)(
  `a stub that is not ready in time${docker.available ? '' : ` (skipped: ${docker.reason})`}`,
  () => {
    it('fails with the reason and leaves no container behind', async () => {
      const runId = `test-timeout-${crypto.randomUUID().slice(0, 8)}`;
      await expect(startStubContainer({ runId, startupTimeoutMs: 1 })).rejects.toThrow(
        /registry stub container did not become ready/,
      );
      const engine = (await dockerClient()).container.dockerode;
      const left = await engine.listContainers({
        all: true,
        filters: { label: [`${LABEL_RUN_ID}=${runId}`] },
      });
      expect(left).toEqual([]);
    });
  },
);
