import { randomBytes } from 'node:crypto';
import { ServiceHub } from '@concurrency-lab/services';
import { type LabServer, startLabServer } from '../src/lab-server.ts';
import { serverConfigFromEnv } from '../src/server-config.ts';

export const ADMIN_TOKEN = 'test-admin-token';

/** A unique namespace prefix per test file, so that files sharing the test Postgres never meet. */
export const testNamespace = (label: string): string => `t_${label}_${randomBytes(3).toString('hex')}`;

export interface ServerFixture {
  readonly server: LabServer;
  readonly hub: ServiceHub;
  readonly url: string;
  /** POSTs JSON (or a raw string body with its own content type) and returns status and parsed body. */
  post(path: string, body?: unknown, init?: { raw?: string; contentType?: string | null }): Promise<Reply>;
  get(path: string): Promise<Reply>;
  reset(scenario: string, lab?: string): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

const reply = async (response: Response): Promise<Reply> => {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Left empty: the test asserts on `text` then.
  }
  return { status: response.status, body, text };
};

/**
 * A real server in this process, on a free loopback port, serving `labs` from the test services
 * (LAB_DATABASE_URL and the Redis URLs exported by test/global-setup.ts).
 */
export const startServerFixture = async (
  labs: readonly string[],
  env: Readonly<Record<string, string>> = {},
  hub = new ServiceHub(),
): Promise<ServerFixture> => {
  const config = serverConfigFromEnv({
    LAB_PORT: '0',
    LAB_LABS: labs.join(','),
    LAB_ADMIN_TOKEN: ADMIN_TOKEN,
    LAB_NAMESPACE: testNamespace('srv'),
    ...env,
  });
  const server = await startLabServer(config, hub);
  const url = server.url;
  return {
    server,
    hub,
    url,
    post: async (path, body, init = {}) => {
      const headers: Record<string, string> = {};
      const contentType = init.contentType === undefined ? 'application/json' : init.contentType;
      if (contentType !== null) headers['content-type'] = contentType;
      const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      return reply(await fetch(`${url}${path}`, { method: 'POST', headers, body: payload }));
    },
    get: async (path) => reply(await fetch(`${url}${path}`)),
    reset: async (scenario, lab) =>
      reply(
        await fetch(`${url}/admin/reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: JSON.stringify(lab === undefined ? { scenario } : { scenario, lab }),
        }),
      ),
    close: async () => {
      await server.close();
      await hub.close();
    },
  };
};
