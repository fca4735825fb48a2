import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` starts real Kafka/Toxiproxy
// processes, so its files run one at a time (one cluster at a time on a 2-core machine).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{harness,generators,pipeline,scenarios,reports,examples}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{harness,generators,pipeline,scenarios,reports,examples}/**/*.int.test.ts'],
          fileParallelism: false,
          globalSetup: ['harness/testing/own-dockerd-teardown.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
