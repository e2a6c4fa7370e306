import { describe, expect, it } from 'vitest';
import { terminateBackends } from '../src/backends.ts';
import { openLabPool, PoolExhaustedError, poolSettingsFromEnv } from '../src/lab-pool.ts';

const url = () => process.env.LAB_DATABASE_URL as string;

describe('a run’s Postgres pool', () => {
  it('fails a checkout that waited its whole wait with PoolExhaustedError, naming the settings', async () => {
    const pool = openLabPool({ url: url(), schema: 'lab_pool_wait', settings: { size: 1, waitMs: 100 } });
    const held = await pool.connect();
    const error = await pool.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolExhaustedError);
    expect((error as Error).message).toMatch(
      /within 100 ms: all 1 connections.*LAB_PG_POOL_SIZE.*LAB_PG_POOL_WAIT_MS/,
    );
    held.release();
    await pool.end();
  });

  it('survives the backend of a checked-out client being terminated, and hands out a live one next', async () => {
    const pool = openLabPool({ url: url(), schema: 'lab_pool_kill', settings: { size: 2, waitMs: 5_000 } });
    const client = await pool.connect();
    await client.query('SELECT 1', []);
    expect(await terminateBackends(url(), 'lab_pool_kill')).toBe(1);
    // The server's notice arrives while the client is checked out and idle: no listener of pg-pool's
    // is on it then, and an unhandled 'error' would end this process (and fail the test file).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(client.query('SELECT 1', [])).rejects.toThrow(/not queryable|terminat/);
    client.release();
    const next = await pool.connect();
    expect((await next.query<{ one: number }>('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
    next.release();
    await pool.end();
  });

  it('sends a repeated parameterised statement as a named prepared statement, and DDL unnamed', async () => {
    const pool = openLabPool({
      url: url(),
      schema: 'lab_pool_prepared',
      settings: { size: 1, waitMs: 5_000 },
    });
    const client = await pool.connect();
    for (let i = 0; i < 3; i++) {
      expect((await client.query<{ n: number }>('SELECT $1::int + 1 AS n', [i])).rows).toEqual([
        { n: i + 1 },
      ]);
    }
    await client.query('CREATE TEMP TABLE lab_pool_prepared_t (id int)', []);
    const { rows } = await client.query<{ statement: string }>(
      'SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY statement',
      [],
    );
    client.release();
    await pool.end();
    // One plan for the three SELECTs (and one for the catalog query itself); none for the DDL.
    expect(rows.map((r) => r.statement)).toContain('SELECT $1::int + 1 AS n');
    expect(rows.filter((r) => r.statement === 'SELECT $1::int + 1 AS n')).toHaveLength(1);
    expect(rows.some((r) => r.statement.startsWith('CREATE'))).toBe(false);
  });

  it('reads its settings from the environment, refusing what it does not accept', () => {
    expect(poolSettingsFromEnv({})).toEqual({ size: 20, waitMs: 60_000 });
    expect(poolSettingsFromEnv({ LAB_PG_POOL_SIZE: '5', LAB_PG_POOL_WAIT_MS: '250' })).toEqual({
      size: 5,
      waitMs: 250,
    });
    for (const [name, raw] of [
      ['LAB_PG_POOL_SIZE', '0'],
      ['LAB_PG_POOL_SIZE', 'many'],
      ['LAB_PG_POOL_WAIT_MS', '-1'],
      ['LAB_PG_POOL_WAIT_MS', '1.5'],
    ] as const) {
      expect(() => poolSettingsFromEnv({ [name]: raw })).toThrow(
        new RegExp(`${name} must be an integer from \\d+ to \\d+; got "${raw}"`),
      );
    }
  });
});
