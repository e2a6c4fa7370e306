import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { driveCalls } from './drive-calls.ts';

// Node with no client library: a bare TCP socket per client speaking Postgres's wire protocol
// (version 3), the statement prepared once by name, then one Bind, Execute and Sync per call with
// its parameters as text. Beside pgbench -M prepared it shows how much of a gap to the C tool is left
// with nothing but Node's own sockets and event loop; beside node-postgres, what the library adds.

/** One protocol message: a type byte, then its length (itself included) and its body. */
const message = (type: string, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');
const int16 = (value: number) => {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
};
const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const SYNC = message('S');

/** The parameters of one call: Bind (text format throughout), Execute, Sync, in one write. */
const call = (statement: string, values: readonly string[]): Buffer =>
  Buffer.concat([
    message(
      'B',
      cstring(''),
      cstring(statement),
      int16(0),
      int16(values.length),
      ...values.flatMap((value) => [int32(Buffer.byteLength(value)), Buffer.from(value, 'utf8')]),
      int16(0),
    ),
    message('E', cstring(''), int32(0)),
    SYNC,
  ]);

interface Connection {
  /** Sends `bytes` and resolves with the messages up to ReadyForQuery; an ErrorResponse rejects. */
  exchange(bytes: Buffer): Promise<Array<{ type: string; body: Buffer }>>;
  close(): void;
}

const open = async (url: URL, startupOptions: string): Promise<Connection> => {
  const socket: Socket = connect({ host: url.hostname, port: Number(url.port || 5432), noDelay: true });
  await once(socket, 'connect');
  let received: Buffer = Buffer.alloc(0);
  let messages: Array<{ type: string; body: Buffer }> = [];
  let waiting: { resolve: (m: typeof messages) => void; reject: (e: Error) => void } | undefined;
  socket.on('data', (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    while (received.length >= 5) {
      const length = received.readInt32BE(1);
      if (received.length < length + 1) break;
      const type = String.fromCharCode(received[0] ?? 0);
      const body = received.subarray(5, length + 1);
      received = received.subarray(length + 1);
      if (type === 'R' && body.readInt32BE(0) !== 0) {
        // The server asks for the password (any answer but AuthenticationOk).
        const done = waiting;
        waiting = undefined;
        done?.resolve([{ type, body }]);
        continue;
      }
      messages.push({ type, body });
      if (type === 'Z') {
        const done = waiting;
        const got = messages;
        waiting = undefined;
        messages = [];
        const error = got.find((m) => m.type === 'E');
        if (error)
          done?.reject(new Error(`Postgres refused: ${error.body.toString('utf8').replace(/\0/g, ' ')}`));
        else done?.resolve(got);
      }
    }
  });
  // A refused start-up (a wrong password, say) ends with the connection closed, not ReadyForQuery.
  socket.on('close', () => {
    const error = messages.find((m) => m.type === 'E');
    waiting?.reject(
      new Error(
        `Postgres closed the connection${error ? `: ${error.body.toString('utf8').replace(/\0/g, ' ')}` : ''}`,
      ),
    );
    waiting = undefined;
  });
  socket.on('error', () => {}); // 'close' follows and reports it
  const exchange = (bytes: Buffer) =>
    new Promise<typeof messages>((resolve, reject) => {
      waiting = { resolve, reject };
      socket.write(bytes);
    });
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const startup = Buffer.concat([
    int32(196608),
    cstring('user'),
    cstring(user),
    cstring('database'),
    cstring(url.pathname.slice(1) || user),
    cstring('options'),
    cstring(startupOptions),
    Buffer.from([0]),
  ]);
  const first = await exchange(Buffer.concat([int32(startup.length + 4), startup]));
  const ask = first[0]?.type === 'R' && first[0].body.readInt32BE(0) !== 0 ? first[0].body : undefined;
  if (ask) {
    const method = ask.readInt32BE(0);
    const answer =
      method === 3
        ? password
        : method === 5
          ? `md5${createHash('md5')
              .update(
                Buffer.concat([
                  Buffer.from(
                    createHash('md5')
                      .update(password + user)
                      .digest('hex'),
                  ),
                  ask.subarray(4, 8),
                ]),
              )
              .digest('hex')}`
          : undefined;
    if (answer === undefined)
      throw new Error(
        `the bare-socket bench speaks password and md5 authentication only; the server asked for method ${method}`,
      );
    await exchange(message('p', cstring(answer)));
  }
  return { exchange, close: () => socket.destroy() };
};

/**
 * `count` calls of `text` (prepared once per connection under one name) over `clients` bare
 * sockets, each waiting for its answer before the next, in calls per second. `values(i)` gives
 * call i's parameters as text.
 */
export const statementBySocket = async (
  url: string,
  searchPath: string,
  text: string,
  values: (i: number) => readonly string[],
  clients: number,
  count: number,
): Promise<number> => {
  const target = new URL(url);
  const connections = await Promise.all(
    Array.from({ length: clients }, () => open(target, `-c search_path=${searchPath}`)),
  );
  try {
    const parse = Buffer.concat([message('P', cstring('socket_bench'), cstring(text), int16(0)), SYNC]);
    for (const connection of connections) await connection.exchange(parse);
    return await driveCalls(connections, count, (connection, i) =>
      connection.exchange(call('socket_bench', values(i))),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
};
