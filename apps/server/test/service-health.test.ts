import { freeLoopbackPort } from '@concurrency-lab/lifecycle';
import { ServiceHub } from '@concurrency-lab/services';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedProbe } from '../src/health-probe.ts';
import { type ServerFixture, startServerFixture } from './lab-server-fixture.ts';

// GET /health against real services that are really stopped: a hub of the test's own starts the
// redis-server processes that the test then stops, so that no other test file loses its services.

/** No URL, no IP, no host:port: what a health answer must never show. */
const ADDRESS = /:\/\/|\b\d{1,3}(\.\d{1,3}){3}\b|localhost|:\d{2,5}\b/;

/** Runs `body` with the named variables unset (or set), restoring them after. */
const withEnv = async <T>(
  changes: Record<string, string | undefined>,
  body: () => Promise<T>,
): Promise<T> => {
  const saved = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(changes);
  try {
    return await body();
  } finally {
    apply(saved);
  }
};

let fixture: ServerFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const health = async () => {
  const reply = await fixture?.get('/health');
  if (!reply) throw new Error('no fixture');
  return reply;
};

describe('GET /health', () => {
  it('reports each service the served labs need, and only those', async () => {
    fixture = await startServerFixture(['update-returning', 'redis-lua', 'redlock']);
    const reply = await health();
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'ok',
      labs: ['update-returning', 'redis-lua', 'redlock'],
      services: {
        postgres: { state: 'up' },
        redis: { state: 'up' },
        redlock: { state: 'up', reason: '5 of 5 nodes answer; a lock needs 3' },
      },
    });
    await fixture.close();
    fixture = await startServerFixture(['update-returning']);
    expect((await health()).body.services).toEqual({ postgres: { state: 'up', reason: 'answers' } });
  });

  it('answers 503 naming the service that is down and the labs it stops, without its address', async () => {
    const hub = new ServiceHub();
    // Redis from the test's own hub; Postgres stays the shared one.
    fixture = await withEnv({ LAB_REDIS_URL: undefined }, () =>
      startServerFixture(['update-returning', 'redis-lua'], {}, hub),
    );
    expect((await health()).status).toBe(200);
    await hub.close();
    // The probe's answer is reused for a second; the next one after it sees the stopped server.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const reply = await health();
    expect(reply.status, reply.text).toBe(503);
    expect(reply.body).toMatchObject({
      status: 'unavailable',
      services: { postgres: { state: 'up' }, redis: { state: 'down', reason: 'connection refused' } },
    });
    expect(String(reply.body.message)).toBe('redis is down: redis-lua cannot serve until it is back');
    expect(reply.text).not.toMatch(ADDRESS);
  });

  it('keeps Redlock up while a majority of its nodes answers, and down below it', async () => {
    const live = (process.env.LAB_REDLOCK_URLS ?? '').split(',').slice(0, 3);
    const dead = await Promise.all([freeLoopbackPort(), freeLoopbackPort()]);
    const urls = [...live, ...dead.map((port) => `redis://127.0.0.1:${port}`)].join(',');
    fixture = await withEnv({ LAB_REDLOCK_URLS: urls }, () => startServerFixture(['redlock']));
    const majority = await health();
    expect(majority.status, majority.text).toBe(200);
    expect(majority.body.services).toMatchObject({
      redlock: { state: 'up', reason: '3 of 5 nodes answer; a lock needs 3 (connection refused)' },
    });
    await fixture.close();

    const hub = new ServiceHub();
    fixture = await withEnv({ LAB_REDLOCK_URLS: undefined }, () => startServerFixture(['redlock'], {}, hub));
    await hub.close();
    const none = await health();
    expect(none.status, none.text).toBe(503);
    expect(none.body.services).toMatchObject({
      postgres: { state: 'up' },
      redlock: { state: 'down', reason: '0 of 5 nodes answer; a lock needs 3 (connection refused)' },
    });
    expect(none.text).not.toMatch(ADDRESS);
  });

  it('shares one probe among the callers of a second', async () => {
    let probes = 0;
    const probe = sharedProbe(async () => {
      probes++;
      return { postgres: { state: 'up', reason: 'answers' } };
    }, 60_000);
    const answers = await Promise.all(Array.from({ length: 50 }, () => probe()));
    expect(answers.every((states) => states.postgres?.state === 'up')).toBe(true);
    expect(probes).toBe(1);
    const fresh = sharedProbe(async () => ({ redis: { state: 'up', reason: `call ${++probes}` } }), 0);
    await fresh();
    await fresh();
    expect(probes).toBe(3);
  });
});
