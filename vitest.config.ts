import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One project per workspace package; each may add its own vitest.config.ts.
    projects: ['apps/*', 'packages/*', 'labs/*'],
    // Starts the services the tests share (embedded Postgres unless LAB_DATABASE_URL is set).
    globalSetup: ['./test/global-setup.ts'],
    // Tests drive real databases with hundreds of concurrent clients: generous, but bounded.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Two cores: running lab suites side by side only makes each slower and noisier.
    fileParallelism: false,
  },
});
