import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Paths from this file, not from the working directory: each package's `test` script runs vitest
// from its own folder with `--root ../..`.
const repo = import.meta.dirname;

// One project per workspace package that has tests. Declared inline with `extends: true` so that
// each inherits the settings below (a plain glob would give each project vitest's defaults).
const projects = ['apps', 'packages', 'labs'].flatMap((group) =>
  readdirSync(join(repo, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(repo, group, entry.name, 'test')))
    .map((entry) => ({
      extends: true as const,
      test: {
        name: `${group}/${entry.name}`,
        root: join(repo, group, entry.name),
        include: ['test/**/*.test.ts'],
      },
    })),
);

// pnpm names the package whose script runs (`@concurrency-lab/cli` → `concurrency-lab-cli`).
const reportName = (process.env.npm_package_name ?? 'all').replace(/^@/, '').replace(/[^\w.-]+/g, '-');

export default defineConfig({
  test: {
    projects,
    // Starts the services the tests share (embedded Postgres unless LAB_DATABASE_URL is set).
    globalSetup: [join(repo, 'test/global-setup.ts')],
    // Tests drive real databases with hundreds of concurrent clients: generous, but bounded.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Two cores: running lab suites side by side only makes each slower and noisier.
    fileParallelism: false,
    // In CI, also a JSON report per run (each package's `test` script is a run of its own), from
    // which .ci/run prints its closing "N passed, N failed" line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: join(repo, `test-output/vitest/${reportName}.json`) }]]
      : ['default'],
  },
});
