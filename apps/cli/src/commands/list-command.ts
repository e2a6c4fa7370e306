import { LABS } from '@concurrency-lab/labs';
import {
  expectationRulesOf,
  expectationsFor,
  type Lab,
  ruleText,
  SCENARIO_NAMES,
  unsupportedReason,
} from '@concurrency-lab/model';
import { Command } from 'commander';
import { TERMINAL_WIDTH, wrapText } from '../render/wrap-text.ts';

const describeOptions = (lab: Lab): string =>
  Object.entries(lab.options ?? {})
    .map(([name, spec]) =>
      spec.kind === 'choice'
        ? `--${name} ${spec.choices.join('|')} (default ${spec.default})`
        : spec.kind === 'switch'
          ? `--${name} (a switch, off unless given)`
          : `--${name} ${spec.min}..${spec.max} (default ${spec.default})`,
    )
    .join(', ');

/** What the lab is expected to show, by scenario, with the given options (default: its defaults). */
const describeExpectations = (lab: Lab, options: Readonly<Record<string, string>> = {}): string => {
  const table = expectationsFor(lab, options);
  const unsafe = SCENARIO_NAMES.filter((s) => table[s] === 'unsafe');
  const safe = SCENARIO_NAMES.filter((s) => table[s] === 'safe');
  if (unsafe.length === 0) return 'safe on every scenario';
  if (safe.length === 0) return 'unsafe on every scenario';
  return `unsafe on ${unsafe.join(', ')}; safe on ${safe.join(', ')}`;
};

/** How an option choice changes what is expected: `with --isolation repeatable-read or serializable: safe …`. */
const optionRules = (lab: Lab): string[] =>
  Object.entries(lab.options ?? {}).flatMap(([name, spec]) => {
    if (spec.kind !== 'choice' || !spec.expect) return [];
    const byText = new Map<string, string[]>();
    for (const choice of spec.choices.filter((c) => c !== spec.default)) {
      const text = describeExpectations(lab, { [name]: choice });
      byText.set(text, [...(byText.get(text) ?? []), choice]);
    }
    return [...byText].map(([text, choices]) => `with --${name} ${choices.join(' or ')}: ${text}`);
  });

/** One lab as a block of short lines, so that the list fits a terminal of 100 columns. */
const labBlock = (lab: Lab): string[] => {
  const field = (label: string, text: string) =>
    wrapText(text, TERMINAL_WIDTH, `  ${label.padEnd(9)}`, ' '.repeat(11));
  return [
    `${lab.name} — ${lab.title}`,
    ...field('needs', lab.needs.join(', ')),
    ...field('expected', describeExpectations(lab)),
    ...optionRules(lab).flatMap((rule) => field('', rule)),
    // Conditions of a run that change the verdict (a short lease, a fault, several replicas).
    ...expectationRulesOf(lab).flatMap((rule) => field('', ruleText(rule))),
    // A scenario the lab cannot run, with the reason it gives (the others are "every scenario" above).
    ...SCENARIO_NAMES.filter((name) => !expectationsFor(lab)[name]).flatMap((name) =>
      field('skips', `${name}: ${unsupportedReason(lab, name)}`),
    ),
    ...field('options', describeOptions(lab) || 'none'),
  ];
};

/** `lab list`: every lab with what it needs and what it is expected to do per scenario. */
export const listCommand = (): Command =>
  new Command('list')
    .description('list the labs, what they need and their expected verdict per scenario')
    .option('--json', 'print JSON instead of a table')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        const labs = LABS.map((lab) => ({
          name: lab.name,
          title: lab.title,
          summary: lab.summary,
          needs: lab.needs,
          expect: lab.expect,
          expectRules: expectationRulesOf(lab),
          unsupported: lab.unsupported ?? {},
          options: lab.options ?? {},
        }));
        process.stdout.write(`${JSON.stringify(labs, null, 2)}\n`);
        return;
      }
      const blocks = LABS.map((lab) => labBlock(lab).join('\n'));
      process.stdout.write(`${blocks.join('\n\n')}\n`);
      const scenarios = wrapText(SCENARIO_NAMES.join(', '), TERMINAL_WIDTH, 'Scenarios: ', '           ');
      process.stdout.write(
        `\n${scenarios.join('\n')}\nRun one:   pnpm lab run <lab> --scenario <name>\n           (add --http [--replicas N] to run it through server replicas)\n`,
      );
    });
