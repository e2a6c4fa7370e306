/** Where a replica writes the details of unexpected errors: never to the client. */
export type ServerLog = (line: string) => void;

/** The default log: one line at a time on stderr. */
export const stderrLog: ServerLog = (line) => process.stderr.write(`${line}\n`);

/** The full error, with its stack, for the server's log only. */
export const errorDetail = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
