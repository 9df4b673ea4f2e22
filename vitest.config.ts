import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/test/global-setup.ts'],
    // Password hashing at a low cost keeps the suite fast; production uses 2^15 (PLEDGE_PASSWORD_COST).
    env: { PLEDGE_PASSWORD_COST: '10' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
