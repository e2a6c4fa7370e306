import { dirname, join } from 'node:path';
import { LABS_FOLDER } from '@concurrency-lab/labs';
import { readReportFile, writeReportPages } from '@concurrency-lab/report';
import { Command } from 'commander';
import { openFile } from '../open-file.ts';
import { renderCompareTable } from '../render/compare-table.ts';
import { userPath } from '../user-paths.ts';

interface ReportFlags {
  k6?: string;
  open?: boolean;
}

/**
 * `lab report <dir>`: rebuilds report.md and report.html from `<dir>/report.json`, with the k6
 * summaries in `<dir>/k6` (and `--k6`). A missing or invalid report.json fails with exit code 1
 * and a message that names the file and what is wrong with it.
 */
export const reportCommand = (): Command =>
  new Command('report')
    .description('rebuild report.md and report.html from a report folder (its report.json and k6 summaries)')
    .argument('<dir>', 'a folder written by `lab compare`, or its report.json')
    .option('--k6 <dir>', 'another folder of k6 JSON summaries to include, besides <dir>/k6')
    .option('--open', 'open report.html when done (xdg-open), or print where it is')
    .action(async (dir: string, opts: ReportFlags) => {
      const { file, report } = await readReportFile(userPath(dir));
      const folder = dirname(file);
      const pages = await writeReportPages(folder, report, {
        k6Folders: [join(folder, 'k6'), ...(opts.k6 ? [userPath(opts.k6)] : [])],
        labsDir: LABS_FOLDER,
      });
      for (const problem of pages.k6.problems) {
        process.stderr.write(`k6 summary skipped: ${problem.file}: ${problem.problem}\n`);
      }
      process.stdout.write(`${renderCompareTable(report)}\n\n`);
      const k6Note = pages.k6.runs.length > 0 ? ` (with ${pages.k6.runs.length} k6 summaries)` : '';
      process.stdout.write(`Rebuilt from ${file}${k6Note}:\n  ${pages.markdown}\n  ${pages.html}\n`);
      if (opts.open) openFile(pages.html);
    });
