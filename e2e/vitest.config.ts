import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    // The machines are shared and slow at times: give a browser's answer 10 s rather than vitest's default 1 s.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    env: { PLEDGE_PASSWORD_COST: '10' },
  },
});
