import { defineConfig } from 'vitest/config';

// Benchmarks run one file at a time, alone, with generous timeouts; they are not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    setupFiles: ['test/setup-reflect.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
