import { labNamed, labNames } from '@concurrency-lab/labs';
import { Command } from 'commander';
import { labSources } from '../explain/lab-sources.ts';
import { renderExplainReport } from '../render/explain-report.ts';
import { oneOf } from '../usage-error.ts';

/**
 * `lab explain <lab>`: the lab's summary, its code read from its own files (so it never drifts), why
 * it is safe or unsafe in its README's words, its expected verdicts and options, and what to run.
 */
export const explainCommand = (): Command =>
  new Command('explain')
    .description(
      'print a lab’s strategy code, why it is safe or unsafe, its expected verdicts and how to try it',
    )
    .argument('<lab>', `the lab: ${labNames().join(', ')}`)
    .option('--shared', 'also print, in full, the shared building blocks its code calls')
    .action((labName: string, opts: { shared?: boolean }) => {
      const lab = labNamed(labName);
      if (!lab) throw oneOf('lab', labName, labNames());
      process.stdout.write(`${renderExplainReport(lab, labSources(lab.name), opts.shared === true)}\n`);
    });
