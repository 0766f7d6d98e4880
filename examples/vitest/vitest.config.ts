import { defineConfig } from 'vitest/config';

// A scenario run takes seconds, not milliseconds: give each test room.
export default defineConfig({ test: { testTimeout: 120_000 } });
