import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenClaims } from './workshop-claims/claim-check.ts';
import { ACCEPTED_CLAIMS, ClaimSyntaxError, parseClaims } from './workshop-claims/claim-parser.ts';
import { commandWords, parsePage, withCiFlags } from './workshop-claims/page-parser.ts';

const fence = '```';

/** A page with one block and what follows it. */
const page = (block: string, after: string, language = 'bash') =>
  ['# A module', '', 'Run this:', '', `${fence}${language}`, block, fence, after, ''].join('\n');

const errorsOf = (markdown: string) =>
  parsePage('docs/workshop/99-test.md', markdown).errors.map((e) => e.message);

describe('the claim parser', () => {
  it('reads every claim form, separated by semicolons or lines, with ; and / inside strings and regexes', () => {
    const { claims, ciFlags } = parseClaims(
      `exit 0; verdict UNSAFE; count ok > 5000; count insufficient_funds = 0
       violation lost-update; no violation oversold; stdout contains "a; b"; stderr lacks "x\\"y"
       stdout matches /ok\\s+5,000;x\\/y/i; json .counts.fail.out_of_stock >= 2; json .verdict.valid = false
       file naive.jsonl contains "header"; in CI with --ops 1000`,
      'docs/workshop/01.md',
      7,
    );
    expect(claims).toEqual([
      { kind: 'exit', code: 0 },
      { kind: 'verdict', verdict: 'UNSAFE' },
      { kind: 'count', outcome: 'ok', op: '>', value: 5000 },
      { kind: 'count', outcome: 'insufficient_funds', op: '=', value: 0 },
      { kind: 'violation', violation: 'lost-update', present: true },
      { kind: 'violation', violation: 'oversold', present: false },
      { kind: 'text', stream: 'stdout', test: 'contains', pattern: 'a; b' },
      { kind: 'text', stream: 'stderr', test: 'lacks', pattern: 'x"y' },
      { kind: 'text', stream: 'stdout', test: 'matches', pattern: /ok\s+5,000;x\/y/i },
      { kind: 'json', path: '.counts.fail.out_of_stock', op: '>=', value: 2 },
      { kind: 'json', path: '.verdict.valid', op: '=', value: false },
      { kind: 'file', path: 'naive.jsonl', text: 'header' },
    ]);
    expect(ciFlags).toEqual(['--ops', '1000']);
  });

  it('names the file, the line and every accepted form for a claim it cannot read', () => {
    const attempt = () => parseClaims('exit 0; verdict unsafe', 'docs/workshop/01-naive-race.md', 42);
    expect(attempt).toThrow(ClaimSyntaxError);
    expect(attempt).toThrow(
      `docs/workshop/01-naive-race.md:42: unknown claim "verdict unsafe"; accepted: ${ACCEPTED_CLAIMS}`,
    );
    expect(ACCEPTED_CLAIMS).toContain('verdict SAFE|UNSAFE|UNKNOWN');
  });

  it('refuses a claim without exactly one exit code, a bad regex, a JSON value that is not one, and bare "in CI with"', () => {
    expect(() => parseClaims('verdict SAFE', 'p.md', 3)).toThrow(
      /^p\.md:3: a claim states exactly one exit code/,
    );
    expect(() => parseClaims('exit 0; exit 1', 'p.md', 3)).toThrow(/found 2/);
    expect(() => parseClaims('exit 0; stdout matches /(/', 'p.md', 3)).toThrow(
      /unknown claim "stdout matches \/\(\/"/,
    );
    expect(() => parseClaims('exit 0; json .counts.ok = five', 'p.md', 3)).toThrow(/unknown claim/);
    expect(() => parseClaims('exit 0; in CI with ops', 'p.md', 3)).toThrow(/"in CI with" needs flags/);
  });
});

describe('the page parser', () => {
  it('takes a marked command with its claims and line, and a not-run block with its reason', () => {
    const markdown = [
      page(
        'pnpm lab run naive --scenario flash-sale --race-window-ms 5   # widen the gap',
        '<!-- expect: exit 0; verdict UNSAFE -->',
      ),
      page('pnpm lab k6 replicas --lab mutex --replicas 3\nk6 version', '\n<!-- not-run: needs k6 -->'),
    ].join('\n');
    const parsed = parsePage('docs/workshop/99-test.md', markdown);
    expect(parsed.errors).toEqual([]);
    expect(parsed.checked).toHaveLength(1);
    expect(parsed.checked[0]).toMatchObject({
      line: 6,
      command: 'pnpm lab run naive --scenario flash-sale --race-window-ms 5',
      args: ['run', 'naive', '--scenario', 'flash-sale', '--race-window-ms', '5'],
      claims: [
        { kind: 'exit', code: 0 },
        { kind: 'verdict', verdict: 'UNSAFE' },
      ],
    });
    expect(parsed.shown).toEqual([
      {
        file: 'docs/workshop/99-test.md',
        line: 15,
        commands: ['pnpm lab k6 replicas --lab mutex --replicas 3', 'k6 version'],
        reason: 'needs k6',
      },
    ]);
  });

  it('reads a marker that spans lines, and applies its CI flags to the command', () => {
    const parsed = parsePage(
      'p.md',
      page(
        'pnpm lab compare --labs a,b --ops 10000',
        '<!-- expect: exit 0;\n  stdout contains "SAFE";\n  in CI with --ops 1000 --repeat 1 -->',
      ),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.checked[0]?.args).toEqual(['compare', '--labs', 'a,b', '--ops', '1000', '--repeat', '1']);
  });

  it('fails a command block with no marker, naming the file, the line and what to write', () => {
    expect(errorsOf(page('pnpm lab run naive', 'Then this happens.'))).toEqual([
      'docs/workshop/99-test.md:5: a command block with no marker after it ("pnpm lab run naive"); ' +
        'follow it with <!-- expect: exit N; … --> (see docs/workshop/CLAIMS.md) or <!-- not-run: why -->',
    ]);
  });

  it('treats an unlabelled block that holds a pnpm command as a command block, and text blocks as text', () => {
    expect(errorsOf(page('pnpm lab list', '', ''))).toHaveLength(1);
    expect(errorsOf(page('Verdict    SAFE', '', 'text'))).toEqual([]);
    expect(errorsOf(page('const x = 1;', '', 'ts'))).toEqual([]);
  });

  it('refuses an expect marker on two commands, on a shell pipeline, on a command other than pnpm lab', () => {
    expect(errorsOf(page('pnpm lab list\npnpm lab run naive', '<!-- expect: exit 0 -->'))[0]).toMatch(
      /99-test\.md:5: an expect marker checks one command, this block has 2/,
    );
    expect(errorsOf(page('pnpm lab run naive --json | jq .counts', '<!-- expect: exit 0 -->'))[0]).toMatch(
      /99-test\.md:6: cannot check .*shell syntax \("\|"\)/,
    );
    expect(errorsOf(page('k6 run k6/withdraw-storm.ts', '<!-- expect: exit 0 -->'))[0]).toMatch(
      /only `pnpm lab …` commands can be checked/,
    );
  });

  it('refuses a not-run without a reason, and a marker that follows no command block', () => {
    expect(errorsOf(page('pnpm lab k6 x', '<!-- not-run: -->'))[0]).toMatch(
      /99-test\.md:8: a not-run marker says why/,
    );
    expect(errorsOf('# Page\n\nSome prose.\n\n<!-- expect: exit 0 -->\n')).toEqual([
      "docs/workshop/99-test.md:5: a marker that follows no command block; put it right after the block's closing fence",
    ]);
  });

  it('leaves markers alone inside a fenced example (CLAIMS.md shows them)', () => {
    const example = [
      '````markdown',
      '```bash',
      'pnpm lab list',
      '```',
      '<!-- expect: exit 0 -->',
      '````',
    ].join('\n');
    expect(errorsOf(example)).toEqual([]);
  });

  it('splits command words as a shell would for quotes, and replaces or adds CI flags', () => {
    expect(commandWords(`pnpm lab run naive --history 'my file.jsonl' # note`)).toEqual([
      'run',
      'naive',
      '--history',
      'my file.jsonl',
    ]);
    expect(withCiFlags(['compare', '--ops', '10000', '--json'], ['--ops', '500', '--force'])).toEqual([
      'compare',
      '--ops',
      '500',
      '--json',
      '--force',
    ]);
  });
});

describe('checking claims against a result', () => {
  const report = [
    'Lab        naive — Naive read-modify-write',
    '',
    '  outcome                     expected  actual',
    '  ──────────────────────────  ────────  ──────',
    '  ok                          5,000     10,000',
    '  fail: insufficient_funds    5,000     0',
    '  info (unknown)              0         0',
    '',
    'Violations',
    '  money-created  1 account · 19,650 money',
    '      e.g. account:1 started at 10000',
    '  lost-update  9,824 operations',
    '',
    'Verdict    UNSAFE: 5 kinds of violation; as expected (this lab is unsafe here)',
  ].join('\n');
  const folder = mkdtempSync(join(tmpdir(), 'claims-'));
  writeFileSync(join(folder, 'h.jsonl'), '{"type":"header"}\n');
  const result = { status: 0, stdout: report, stderr: '', folder, seconds: 0 };
  const check = (claims: string) => brokenClaims(parseClaims(claims, 'p.md', 1).claims, result);

  it('reads the verdict, the counts and the violations from the text report', () => {
    expect(
      check(
        'exit 0; verdict UNSAFE; count ok = 10000; count insufficient_funds = 0; count out_of_stock = 0; count info = 0; ' +
          'violation lost-update; violation money-created; no violation oversold; file h.jsonl contains "header"',
      ),
    ).toEqual([]);
  });

  it('says what it found when a claim does not hold', () => {
    expect(
      check(
        'exit 1; verdict SAFE; count ok <= 5000; no violations; stdout contains "oversold"; file x contains "a"',
      ),
    ).toEqual([
      { claim: 'exit 1', found: 'exit 0' },
      { claim: 'verdict SAFE', found: 'verdict UNSAFE' },
      { claim: 'count ok <= 5000', found: 'count ok = 10000' },
      { claim: 'no violations', found: 'violations: money-created, lost-update' },
      { claim: 'stdout contains "oversold"', found: expect.stringMatching(/^stdout: "/) },
      { claim: 'file x contains "a"', found: 'no file x' },
    ]);
    expect(check('exit 0; json .counts.ok = 1')).toEqual([
      { claim: 'json .counts.ok = 1', found: 'stdout is not JSON (add --json to the command)' },
    ]);
  });

  it('reads the same claims from --json output', () => {
    const json = JSON.stringify({
      verdict: { valid: true, violations: [] },
      counts: { ok: 100, fail: { out_of_stock: 200 }, info: 0 },
    });
    const claims = parseClaims(
      'exit 0; verdict SAFE; count ok = 100; count out_of_stock = 200; count not_found = 0; no violations; json .counts.fail.out_of_stock = 200',
      'p.md',
      1,
    ).claims;
    expect(brokenClaims(claims, { ...result, stdout: json })).toEqual([]);
  });
});
