import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABS, labNamed } from '@concurrency-lab/labs';
import type { Lab } from '@concurrency-lab/model';
import { expectationFor, SCENARIO_NAMES } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { labSources } from '../src/explain/lab-sources.ts';
import { renderExplainReport } from '../src/render/explain-report.ts';
import { TERMINAL_WIDTH } from '../src/render/wrap-text.ts';
import { runCli } from './run-cli.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

const explained = (name: string): string => {
  const lab = labNamed(name) as Lab;
  return renderExplainReport(lab, labSources(lab.name), false);
};

/** Every file of a lab's src folder with this ending, listed here independently of the command. */
const filesOf = (lab: string, ending: string): string[] =>
  readdirSync(join(root, 'labs', lab, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(ending) && entry.name !== 'index.ts')
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));

/** A listing line (`  12 │ code`), a listing's title (`── path ───`) or a command: printed as it is. */
const isVerbatim = (line: string) =>
  /^\s+\d+ │/.test(line) || line.startsWith('── ') || /^ {2}pnpm /.test(line);

/** The first sentence after a README's "Why it…" lead or heading, as the README has it (marks removed). */
const whyOpening = (readme: string): string => {
  const match = /(?:\*\*Why it[^*]*\*\*|## Why it[^\n]*\n)\s*([^\n]+)/.exec(readme);
  return (match?.[1] ?? '')
    .replace(/\*\*|^- /g, '')
    .split(/\s+/)
    .slice(0, 8)
    .join(' ');
};

describe('pnpm lab explain', () => {
  for (const lab of LABS) {
    it(`${lab.name}: its own files and scripts line by line, its README's why, its verdicts, within 100 columns`, () => {
      const text = renderExplainReport(lab, labSources(lab.name), false);
      const lines = text.split('\n');
      expect(lines[0]).toBe(`${lab.name} — ${lab.title}`);
      expect(text.replace(/\s+/g, ' ')).toContain(lab.summary);

      // Every TypeScript file of the lab (its barrel aside) and every Lua script, exactly as on disk.
      const files = [...filesOf(lab.name, '.ts'), ...filesOf(lab.name, '.lua')];
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(text, file).toContain(`── ${file} `);
        const source = readFileSync(join(root, file), 'utf8').replace(/\n$/, '').split('\n');
        source.forEach((line, i) => {
          expect(lines, `${file}:${i + 1}`).toContain(
            `${String(i + 1).padStart(String(source.length).length + 2)} │ ${line}`,
          );
        });
      }

      // Why it is safe or unsafe, in the README's words.
      const readme = readFileSync(join(root, 'labs', lab.name, 'README.md'), 'utf8');
      const opening = whyOpening(readme);
      expect(opening.split(' ').length, `labs/${lab.name}/README.md has a "Why it…" section`).toBe(8);
      expect(text.replace(/\s+/g, ' ').replace(/\*/g, '')).toContain(opening.replace(/\*/g, ''));
      expect(lines.some((line) => /^Why it/.test(line))).toBe(true);

      // The verdict table: one row per scenario, each cell the model's expectation.
      for (const scenario of SCENARIO_NAMES) {
        const row = lines.find((line) => line.startsWith(`  ${scenario} `));
        expect(row, scenario).toBeDefined();
        // A scenario the lab declares unsupported (check-constraint's write-skew) says so.
        expect(row?.trim().split(/\s{2,}/)[1]).toBe(
          expectationFor(lab, scenario, {
            options: lab.options?.isolation ? { isolation: 'read-committed' } : {},
          }) ?? '— (not supported)',
        );
      }

      for (const option of Object.keys(lab.options ?? {})) expect(text).toContain(`  --${option} `);
      expect(lines.filter((line) => !isVerbatim(line) && [...line].length > TERMINAL_WIDTH)).toEqual([]);
    });
  }

  it('shows an option choice that changes the verdict as its own column, and what replicas do to the mutex', () => {
    const pg = explained('pg-transaction');
    expect(pg).toContain('  by --isolation:');
    expect(pg).toMatch(/withdraw-storm\s+unsafe\s+safe\s+safe/);
    const mutex = explained('mutex');
    expect(mutex).toMatch(/scenario\s+expected\s+with 2\+ replicas/);
    expect(mutex).toMatch(/replicas\s+safe\s+unsafe/);
  });

  it('runs as `pnpm lab explain naive --shared`: the naive steps it calls, printed in full from their file', () => {
    const { status, stdout, stderr } = runCli('explain', 'naive', '--shared');
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('readModifyWrite    packages/postgres/src/read-modify-write.ts');
    const steps = readFileSync(join(root, 'packages/postgres/src/read-modify-write.ts'), 'utf8').split('\n');
    expect(stdout).toContain(`── packages/postgres/src/read-modify-write.ts `);
    for (const line of steps.filter((l) => l.includes('raceWindow'))) expect(stdout).toContain(`│ ${line}`);
    expect(stdout).toContain('Why it is unsafe');
    expect(stdout).toContain('pnpm lab run naive --scenario withdraw-storm');
  });

  it('refuses an unknown lab with exit 2, naming every valid one, and prints nothing else', () => {
    const { status, stdout, stderr } = runCli('explain', 'naïve');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown lab "naïve"; valid labs: ');
    for (const lab of LABS) expect(stderr).toContain(lab.name);
  });
});
