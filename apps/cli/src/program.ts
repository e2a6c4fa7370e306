import { Command } from 'commander';
import { anomaliesCommand } from './commands/anomalies-command.ts';
import { compareCommand } from './commands/compare-command.ts';
import { explainCommand } from './commands/explain-command.ts';
import { faultsCommand } from './commands/faults-command.ts';
import { k6Command } from './commands/k6-command.ts';
import { listCommand } from './commands/list-command.ts';
import { reportCommand } from './commands/report-command.ts';
import { runCommand } from './commands/run-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { traceCommand } from './commands/trace-command.ts';

/** The `lab` command and its subcommands, one file each under commands/. */
export const createProgram = (): Command =>
  new Command('lab')
    .description('See, teach and compare how concurrent updates go wrong and how locking prevents it.')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(listCommand())
    .addCommand(runCommand())
    .addCommand(serveCommand())
    .addCommand(k6Command())
    .addCommand(compareCommand())
    .addCommand(faultsCommand())
    .addCommand(reportCommand())
    .addCommand(anomaliesCommand())
    .addCommand(traceCommand())
    .addCommand(explainCommand());
