import { fileURLToPath } from 'node:url';
import { type EmbeddedServer, startEmbeddedPostgres } from '@concurrency-lab/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenClaims } from './workshop-claims/claim-check.ts';
import { claimText } from './workshop-claims/claim-parser.ts';
import { PAGE_FOLDERS, readPages, startCommands } from './workshop-claims/command-runner.ts';

// Every runnable command of the workshop and concept pages is run here and its claims asserted
// (docs/workshop/CLAIMS.md): a page whose claim stops being true fails CI.
const root = fileURLToPath(new URL('../../..', import.meta.url));
// LAB_CLAIMS_PAGES=11-deadlocks,12-compare checks only the pages whose path holds one of these (after
// editing a page); unset, every page is checked, as in CI.
const only = (process.env.LAB_CLAIMS_PAGES ?? '').split(',').filter(Boolean);
const pages = readPages(root).filter(
  (page) => only.length === 0 || only.some((part) => page.file.includes(part)),
);
const commands = pages.flatMap((page) => page.checked);
const claimCount = commands.reduce((n, command) => n + command.claims.length, 0);
const shownCount = pages.reduce((n, page) => n + page.shown.length, 0);
// Two pages at a time: the machines this runs on have two cores, and much of a command's time is
// start-up or a race window's sleep.
const WORKERS = Math.max(1, Number(process.env.LAB_CLAIMS_CONCURRENCY ?? 2));
// The first worker uses the test run's Postgres; every other one gets a Postgres of its own. Two runs
// that create, migrate and drop their schemas at the same moment on one server can trip over each
// other: kysely's migrator lists the tables of every schema, and one may vanish mid-query ("schema
// lab_naive_… does not exist"). One run at a time per server, as the rest of the suite does.
const extraServers: Promise<EmbeddedServer>[] = Array.from({ length: WORKERS - 1 }, () =>
  startEmbeddedPostgres(),
);
const results = startCommands(root, pages, {
  workers: [
    Promise.resolve({}),
    ...extraServers.map(async (server) => ({ LAB_DATABASE_URL: (await server).url })),
  ],
  timeoutMs: 150_000,
});
const broken: string[] = [];
const durations: { where: string; seconds: number }[] = [];
const started = performance.now();

afterAll(async () => {
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    `workshop claims: ${claimCount} claims on ${commands.length} commands in ${pages.length} pages checked ` +
      `(${broken.length} commands broke a claim; ${shownCount} blocks only shown), in ${seconds} s\n`,
  );
  // Where the time goes, for whoever keeps the check near two minutes.
  const slowest = durations.sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  process.stdout.write(
    `  slowest: ${slowest.map((d) => `${d.where.replace(/^docs\//, '')} ${d.seconds.toFixed(1)} s`).join(', ')}\n`,
  );
  await Promise.allSettled(extraServers.map(async (server) => (await server).stop()));
});

describe(`the workshop's claims: ${claimCount} claims on ${commands.length} commands in ${pages.length} pages`, () => {
  it(`finds pages under ${PAGE_FOLDERS.join(' and ')}, with commands to check`, () => {
    if (only.length === 0) expect(pages.map((page) => page.file)).toContain('docs/workshop/README.md');
    expect(commands.length).toBeGreaterThan(0);
  });

  it('every command block in every page is marked, expect or not-run, and every claim is readable', () => {
    expect(pages.flatMap((page) => page.errors.map((error) => error.message))).toEqual([]);
  });

  for (const page of pages) {
    for (const command of page.checked) {
      const scaled = command.ciFlags.length > 0 ? ` (in CI with ${command.ciFlags.join(' ')})` : '';
      it(`${page.file}:${command.line} ${command.command}${scaled} → ${command.claims.map(claimText).join('; ')}`, async () => {
        const result = await results.get(command);
        if (!result) throw new Error('the command was not started');
        durations.push({ where: `${page.file}:${command.line}`, seconds: result.seconds });
        const failures = brokenClaims(command.claims, result);
        if (failures.length > 0) broken.push(`${page.file}:${command.line}`);
        expect(
          failures,
          `pnpm lab ${command.args.join(' ')}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
        ).toEqual([]);
      }, 300_000);
    }
  }
});
