import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './run-tool.ts';

/** True when a `pgbench` binary is on PATH. */
export const hasPgbench = (): Promise<boolean> =>
  new Promise((resolve) => {
    const child = spawn('pgbench', ['--version'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });

/**
 * pgbench's -M: `prepared` parses and plans each statement once per connection, as the labs' pool
 * sends its repeated statements (packages/postgres's prepared-statements.ts); `extended` parses each
 * call anew, as node-postgres sends an unnamed parameterised query.
 */
export type PgbenchProtocol = 'prepared' | 'extended';

export interface PgbenchRun {
  readonly url: string;
  /** The schema the script's unqualified table names resolve to. */
  readonly schema: string;
  /** The transaction script, in pgbench's format. */
  readonly script: string;
  /** How statements are sent (see PgbenchProtocol). */
  readonly protocol: PgbenchProtocol;
  readonly clients: number;
  readonly transactionsPerClient: number;
}

/** Runs pgbench and returns its transactions per second, excluding connection set-up. */
export const runPgbench = async (run: PgbenchRun): Promise<number> => {
  const dir = await mkdtemp(join(tmpdir(), 'lab-pgbench-'));
  const file = join(dir, 'script.sql');
  await writeFile(file, run.script);
  const args = [
    '-n',
    '-M',
    run.protocol,
    '-f',
    file,
    '-c',
    String(run.clients),
    '-j',
    String(Math.min(run.clients, 2)),
  ];
  args.push('-t', String(run.transactionsPerClient), run.url);
  const output = await runTool('pgbench', args, {
    ...process.env,
    PGOPTIONS: `-c search_path=${run.schema}`,
  });
  const tps = /tps = ([\d.]+) \(without initial connection/.exec(output)?.[1];
  if (!tps) throw new Error(`no tps in pgbench output:\n${output}`);
  return Number(tps);
};
