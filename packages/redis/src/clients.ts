import { closeRedis, connectRedis } from './connection.ts';

/**
 * Closes, from the server's side (CLIENT KILL), every connection to the Redis at `url` whose name is
 * `name`, as a failover or a network cut would: a run's connections are named `lab-<namespace>`.
 * Resolves to how many were killed.
 */
export const killClients = async (url: string, name: string): Promise<number> => {
  const admin = await connectRedis(url, { name: 'lab-admin' });
  try {
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'normal'));
    const ids = list
      .split('\n')
      .map((line) => Object.fromEntries(line.split(' ').map((field) => field.split('=', 2))))
      .filter((fields) => fields.name === name && fields.id)
      .map((fields) => String(fields.id));
    let killed = 0;
    for (const id of ids) killed += Number(await admin.call('CLIENT', 'KILL', 'ID', id));
    return killed;
  } finally {
    await closeRedis(admin);
  }
};
