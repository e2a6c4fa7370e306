import { type EmbeddedServer, startEmbeddedPostgres } from '@concurrency-lab/postgres';

let postgres: EmbeddedServer | undefined;

/**
 * Starts one embedded Postgres for the whole test run unless LAB_DATABASE_URL names a server,
 * and passes its URL to the test workers through the environment. Every run inside it gets a
 * schema of its own, so test files never see each other's data.
 */
export const setup = async (): Promise<void> => {
  if (!process.env.LAB_DATABASE_URL) {
    postgres = await startEmbeddedPostgres();
    process.env.LAB_DATABASE_URL = postgres.url;
  }
};

export const teardown = async (): Promise<void> => {
  await postgres?.stop();
};
