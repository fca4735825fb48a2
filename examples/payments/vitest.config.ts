import { defineConfig } from 'vitest/config';

// The root vitest.config.ts runs harness/, pipeline/, scenarios/ ... tests, not examples/:
// `npx vitest run --config examples/payments/vitest.config.ts` runs this example's.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
  },
});
