import { createServer } from 'node:net';

/** Asks the kernel for a loopback port that is free right now (another process may take it later). */
export const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('the kernel gave no loopback port')),
      );
    });
  });
