import { LABS, labNames } from '@concurrency-lab/labs';
import { onShutdown } from '@concurrency-lab/lifecycle';
import { redactUrl } from '@concurrency-lab/postgres';
import { prepareSharedServices, type ReplicaSet, startReplicaSet } from '@concurrency-lab/server';
import { ServiceHub } from '@concurrency-lab/services';
import { Command, InvalidArgumentError, type Option } from 'commander';
import { addLabOptionFlags, type ChosenLab, chooseLabs, namesFrom } from '../lab-options.ts';
import { nonNegativeInteger, positiveInteger, UsageError } from '../usage-error.ts';

interface ServeFlags {
  port: number;
  replicas: number;
  labs?: string;
  host: string;
  raceWindowMs: number;
  adminToken?: string;
  [option: string]: unknown;
}

/** The namespace prefix `lab serve` and `lab k6` serve from (the server's default too). */
export const SERVE_NAMESPACE = 'server';

/** For --port: 1 to 65535 (the replicas take this one and the next ones). */
export const portNumber = (raw: string): number => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > 65_535) {
    throw new InvalidArgumentError(
      `${JSON.stringify(raw)} is not accepted: --port must be an integer from 1 to 65535.`,
    );
  }
  return value;
};

/** The labs named in `--labs a,b` (default: every lab), each with the lab-option flags it declares. */
export const servedLabs = (
  raw: string | undefined,
  flags: Map<string, Option>,
  opts: Readonly<Record<string, unknown>>,
): ChosenLab[] =>
  chooseLabs(raw === undefined ? labNames() : namesFrom(raw, '--labs'), flags, opts, 'served');

/**
 * Runs the replicas until a signal stops them or one exits. On SIGINT/SIGTERM the replicas stop first
 * (each finishes its in-flight requests) and only then the services they use, in the shutdown's
 * stages; the command then exits 0, as a stop that was asked for.
 */
const serveUntilStopped = async (hub: ServiceHub, start: () => Promise<ReplicaSet>): Promise<number> => {
  let replicas: ReplicaSet | undefined;
  const unregister = [
    onShutdown('work', async (signal) => {
      process.stderr.write(`\n${signal}: stopping the replicas (in-flight requests finish first)…\n`);
      await replicas?.stop();
      process.exitCode = 0;
    }),
    onShutdown('services', () => hub.close()),
  ];
  try {
    replicas = await start();
    const ended = await replicas.exited;
    process.stderr.write(
      `replica ${ended.index + 1} exited unexpectedly (${ended.code ?? ended.signal}); stopping the others\n`,
    );
    return 1;
  } finally {
    for (const off of unregister) off();
    await replicas?.stop();
    await hub.close();
  }
};

/** `lab serve`: N replica processes on consecutive ports, sharing one Postgres and one set of Redis nodes. */
export const serveCommand = (): Command => {
  const command = new Command('serve')
    .description(
      'serve the labs over HTTP: N replica processes on consecutive ports sharing Postgres and Redis',
    )
    .option('--port <n>', 'port of the first replica; the others take the next ones', portNumber, 8080)
    .option(
      '--replicas <n>',
      'separate server processes (each with its own memory, like real replicas)',
      positiveInteger('--replicas', 16),
      1,
    )
    .option('--labs <a,b>', `labs to serve (default: all of ${labNames().join(', ')})`)
    .option(
      '--host <address>',
      'address to bind (anything but loopback exposes the labs to your network)',
      '127.0.0.1',
    )
    .option(
      '--race-window-ms <n>',
      'delay between a lab’s read and its write, to widen races for demos',
      nonNegativeInteger('--race-window-ms'),
      0,
    )
    .option(
      '--admin-token <token>',
      'enables POST /admin/reset with this bearer token (default: LAB_ADMIN_TOKEN)',
    );
  const flags = addLabOptionFlags(command);
  return command.action(async (opts: ServeFlags) => {
    const labs = servedLabs(opts.labs, flags, opts);
    if (opts.port + opts.replicas - 1 > 65_535)
      throw new UsageError(`--port ${opts.port} leaves no room for ${opts.replicas} replicas`);
    const adminToken = opts.adminToken ?? process.env.LAB_ADMIN_TOKEN;
    const hub = new ServiceHub();
    process.exitCode = await serveUntilStopped(hub, async () => {
      process.stderr.write('Starting the services the labs need…\n');
      const services = await prepareSharedServices(hub, labs, SERVE_NAMESPACE);
      const replicas = await startReplicaSet({
        replicas: opts.replicas,
        port: opts.port,
        host: opts.host,
        env: {
          ...services,
          LAB_LABS: labs.map(({ lab }) => lab.name).join(','),
          LAB_OPTIONS: JSON.stringify(
            Object.fromEntries(labs.map(({ lab, options }) => [lab.name, options])),
          ),
          LAB_RACE_WINDOW_MS: String(opts.raceWindowMs),
          LAB_ADMIN_TOKEN: adminToken ?? '',
          LAB_NAMESPACE: SERVE_NAMESPACE,
        },
      });
      const example =
        labs.find(({ lab }) => lab.name === 'update-returning')?.lab.name ?? (labs[0]?.lab.name as string);
      const lines = [
        `Serving ${labs.length === LABS.length ? 'every lab' : labs.map(({ lab }) => lab.name).join(', ')} with ${opts.replicas} replica${opts.replicas === 1 ? '' : 's'}:`,
        ...replicas.urls.map((url) => `  ${url}`),
        ...Object.entries(services).map(
          ([name, value]) => `  ${name}=${value.split(',').map(redactUrl).join(',')}`,
        ),
        `Admin: POST /admin/reset is ${adminToken ? 'enabled (Authorization: Bearer <your token>)' : 'disabled: pass --admin-token or set LAB_ADMIN_TOKEN'}`,
        `Race window: ${opts.raceWindowMs} ms`,
        ...(adminToken
          ? [
              `Seed:  curl -s -X POST ${replicas.urls[0]}/admin/reset -H "authorization: Bearer $LAB_ADMIN_TOKEN" -H 'content-type: application/json' -d '{"scenario": "withdraw-storm"}'`,
            ]
          : []),
        `Try:   curl -s -X POST ${replicas.urls[0]}/labs/${example}/accounts/1/withdraw -H 'content-type: application/json' -d '{"amount": 2}'`,
        'Ctrl-C stops the replicas, then the services this command started.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return replicas;
    });
  });
};
