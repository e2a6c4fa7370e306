import { LABS } from '@concurrency-lab/labs';
import { expectationsFor, type Lab, SCENARIO_NAMES, unsupportedReason } from '@concurrency-lab/model';
import { Command } from 'commander';
import { textTable } from '../render/text-table.ts';

const describeOptions = (lab: Lab): string =>
  Object.entries(lab.options ?? {})
    .map(([name, spec]) =>
      spec.kind === 'choice' ? `--${name} ${spec.choices.join('|')}` : `--${name} ${spec.min}..${spec.max}`,
    )
    .join(' ');

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
          unsupported: lab.unsupported ?? {},
          options: lab.options ?? {},
        }));
        process.stdout.write(`${JSON.stringify(labs, null, 2)}\n`);
        return;
      }
      const rows = LABS.map((lab) => {
        const table = expectationsFor(lab);
        const unsafe = SCENARIO_NAMES.filter((s) => table[s] === 'unsafe');
        const skipped = SCENARIO_NAMES.filter((s) => !table[s]);
        const verdicts =
          (unsafe.length === 0
            ? `safe on ${skipped.length === 0 ? 'all' : 'the rest'}`
            : `unsafe on ${unsafe.join(', ')}`) +
          (skipped.length === 0
            ? ''
            : `; skips ${skipped.map((s) => `${s} (${unsupportedReason(lab, s)})`).join(', ')}`);
        return [lab.name, lab.title, lab.needs.join(', '), verdicts, describeOptions(lab)];
      });
      process.stdout.write(
        `${textTable([['lab', 'title', 'needs', 'expected (defaults)', 'options'], ...rows])}\n`,
      );
      process.stdout.write(`\nRun one: pnpm lab run <lab> --scenario <${SCENARIO_NAMES.join('|')}>\n`);
    });
