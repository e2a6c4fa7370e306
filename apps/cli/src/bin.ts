import { CommanderError } from 'commander';
import { createProgram } from './program.ts';
import { UsageError } from './usage-error.ts';

// Exit codes: 0 the verdict matches the lab's expectation, 1 it does not (or the run could not
// be carried out), 2 the command was called wrongly.
const program = createProgram();
program.exitOverride();
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and --version are not errors.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
