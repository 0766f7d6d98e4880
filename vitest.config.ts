import { defineConfig } from 'vitest/config';

// Integration tests start real daemons (containerd, dockerd, registries); two cores, so keep
// file parallelism modest and timeouts generous. Speed targets live in `npm run bench`, never here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
