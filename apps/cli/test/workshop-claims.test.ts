import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenClaims } from './workshop-claims/claim-check.ts';
import { claimText } from './workshop-claims/claim-parser.ts';
import { PAGE_FOLDERS, readPages, startCommands } from './workshop-claims/command-runner.ts';

// Every runnable command of the workshop and concept pages is run here and its claims asserted
// (docs/workshop/CLAIMS.md): a page whose claim stops being true fails CI.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const pages = readPages(root);
const commands = pages.flatMap((page) => page.checked);
const claimCount = commands.reduce((n, command) => n + command.claims.length, 0);
const shownCount = pages.reduce((n, page) => n + page.shown.length, 0);
// Two at a time: the machines this runs on have two cores, and most of a command's time is start-up.
const CONCURRENCY = Number(process.env.LAB_CLAIMS_CONCURRENCY ?? 2);
const results = startCommands(root, pages, { concurrency: CONCURRENCY, timeoutMs: 150_000 });
const broken: string[] = [];
const started = performance.now();

afterAll(() => {
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    `workshop claims: ${claimCount} claims on ${commands.length} commands in ${pages.length} pages checked ` +
      `(${broken.length} commands broke a claim; ${shownCount} blocks only shown), in ${seconds} s\n`,
  );
});

describe(`the workshop's claims: ${claimCount} claims on ${commands.length} commands in ${pages.length} pages`, () => {
  it(`finds pages under ${PAGE_FOLDERS.join(' and ')}, with commands to check`, () => {
    expect(pages.map((page) => page.file)).toContain('docs/workshop/README.md');
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
