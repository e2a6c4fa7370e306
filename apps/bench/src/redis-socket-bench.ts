import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { driveCalls } from './drive-calls.ts';

// Node with no client library: a bare TCP socket per client writing each EVALSHA, encoded by hand,
// and waiting for its reply. Beside redis-benchmark it shows how much of a gap to the C tool is left
// with nothing but Node's own sockets and event loop; beside ioredis, what the library adds.

/** A RESP command as bytes on the wire: an array of bulk strings. */
const encode = (args: readonly string[]): string => {
  let text = `*${args.length}\r\n`;
  for (const arg of args) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return text;
};

/** The index just past the RESP value starting at `at`, or -1 while it has not all arrived. */
const endOfValue = (buffer: Buffer, at: number): number => {
  const lineEnd = buffer.indexOf('\r\n', at);
  if (lineEnd < 0) return -1;
  const length = Number(buffer.toString('latin1', at + 1, lineEnd));
  if (buffer[at] === 0x24 /* $ bulk string */) {
    const end = length < 0 ? lineEnd + 2 : lineEnd + 2 + length + 2;
    return end <= buffer.length ? end : -1;
  }
  if (buffer[at] === 0x2a /* * array */) {
    let next = lineEnd + 2;
    for (let i = 0; i < length && next >= 0; i++) next = endOfValue(buffer, next);
    return next;
  }
  return lineEnd + 2; // a simple string, an error or an integer: one line
};

/** One connection that sends a command and waits for its whole reply, one call at a time. */
const openCaller = async (host: string, port: number) => {
  const socket: Socket = connect({ host, port, noDelay: true });
  await once(socket, 'connect');
  let received: Buffer = Buffer.alloc(0);
  let waiting: ((reply: Buffer) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const end = endOfValue(received, 0);
    if (end < 0 || !waiting) return;
    const reply = received.subarray(0, end);
    received = received.subarray(end);
    const resolve = waiting;
    waiting = undefined;
    resolve(reply);
  });
  return {
    call: (command: string) =>
      new Promise<Buffer>((resolve, reject) => {
        waiting = resolve;
        socket.once('error', reject);
        socket.write(command);
      }).finally(() => socket.removeAllListeners('error')),
    close: () => socket.destroy(),
  };
};

/**
 * `count` EVALSHA calls of the script `sha` over `clients` bare sockets, each waiting for its reply
 * before the next, in calls per second. Every reply must be `ok` (as on the lab's side, the balance
 * is far from exhausted), or the figure would measure refusals.
 */
export const evalshaBySocket = async (
  url: string,
  sha: string,
  keysThenArgs: (i: number) => readonly string[],
  clients: number,
  count: number,
): Promise<number> => {
  const { hostname, port, password } = new URL(url);
  const callers = await Promise.all(
    Array.from({ length: clients }, () => openCaller(hostname, Number(port || 6379))),
  );
  try {
    if (password)
      for (const caller of callers) await caller.call(encode(['AUTH', decodeURIComponent(password)]));
    return await driveCalls(callers, count, async (caller, i) => {
      const reply = await caller.call(encode(['EVALSHA', sha, ...keysThenArgs(i)]));
      if (!reply.toString('latin1', 0, 12).startsWith('*2\r\n$2\r\nok'))
        throw new Error(`the script did not reply ok: ${reply.toString('utf8')}`);
    });
  } finally {
    for (const caller of callers) caller.close();
  }
};
