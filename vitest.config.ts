import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // builds dist/ when stale: some tests run the compiled CLI as `npx mai` does
    globalSetup: ['tests/helpers/global-setup.ts'],
  },
});
