import { defineConfig } from 'vitest/config';

/**
 * Tests by cost, chosen by file name (see test/README.md):
 * - `unit`: every `*.test.ts` that is not an integration test. In-process, no root, no containerd, no
 *   Docker, no CLI subprocess: `npm run test:unit` runs them in seconds, as any user.
 * - `integration`: `*.integration.test.ts`, the tests that start real daemons and processes
 *   (containerd, dockerd, skopeo/podman, the CLI); `npm run test:integration`.
 * `npm test` runs both. test/architecture/test-kinds.test.ts keeps unit files honest.
 */
const INTEGRATION = 'test/**/*.integration.test.ts';

// Integration tests start real daemons (containerd, dockerd, registries); two cores, so keep
// file parallelism modest and timeouts generous. Speed targets live in `npm run bench`, never here.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [INTEGRATION] } },
      { extends: true, test: { name: 'integration', include: [INTEGRATION] } },
    ],
  },
});
