import { type FaultDefinition, faultUsage } from '@concurrency-lab/harness';
import { LABS } from '@concurrency-lab/labs';
import { resolveLabOptions } from '@concurrency-lab/model';
import { FAULTS } from '@concurrency-lab/services';
import { Command } from 'commander';
import { TERMINAL_WIDTH, wrapText } from '../render/wrap-text.ts';

/** One fault as `lab faults` prints it: how to write it, its paragraph, and the labs it applies to. */
const faultBlock = (fault: FaultDefinition): string[] => {
  const labs = LABS.filter((lab) => fault.notApplicable(lab, resolveLabOptions(lab, {})) === undefined);
  const argument = fault.argument ? [`${fault.argument.placeholder}: ${fault.argument.accepted}`] : [];
  return [
    `--fault ${faultUsage(fault)}`,
    ...wrapText(fault.description, TERMINAL_WIDTH, '  '),
    ...argument.flatMap((text) => wrapText(text, TERMINAL_WIDTH, '  ', '    ')),
    ...wrapText(
      `applies to: ${labs.map((lab) => lab.name).join(', ') || 'none'}`,
      TERMINAL_WIDTH,
      '  ',
      '    ',
    ),
  ];
};

/** `lab faults`: every fault `--fault` accepts, with what it does, which labs it concerns and what to expect. */
export const faultsCommand = (): Command =>
  new Command('faults')
    .description('list the faults that lab run and lab compare inject with --fault')
    .action(() => {
      const blocks = FAULTS.map((fault) => faultBlock(fault).join('\n'));
      const schedule =
        'Faults start a fifth of the way into the run and stop four fifths in (--fault-at <ms>, --fault-for <ms> set the times); each start and stop is an operation of kind nemesis in the history (--history).';
      process.stdout.write(`${[...blocks, wrapText(schedule, TERMINAL_WIDTH).join('\n')].join('\n\n')}\n`);
    });
