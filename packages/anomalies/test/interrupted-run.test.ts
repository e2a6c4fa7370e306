import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaExists } from './schema-exists.ts';

const url = process.env.LAB_DATABASE_URL as string;
const fixture = fileURLToPath(new URL('./fixtures/interrupted-run.ts', import.meta.url));

describe('a run interrupted by Ctrl-C', () => {
  it('closes its sessions and drops its schema before the process exits (130)', async () => {
    // Under Node's own type stripping, so that the signal reaches the run's process directly.
    const child = spawn(process.execPath, [fixture], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = once(child, 'exit');
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`not parked within 20 s: ${stdout}${stderr}`)),
          20_000,
        );
        child.stdout.on('data', () => {
          if (stdout.includes('parked\n')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`exited before parking: ${stdout}${stderr}`)));
      });
      const schema = /^schema (\S+)$/m.exec(stdout)?.[1] ?? '';
      expect(await schemaExists(url, schema)).toBe(true);
      child.kill('SIGINT');
      const [code] = await exited;
      expect(code, stderr).toBe(130);
      expect(await schemaExists(url, schema)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
