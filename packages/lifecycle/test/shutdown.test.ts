import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIGNAL_REPEAT_MS, withoutForeignHooks } from '../src/index.ts';

const fixture = fileURLToPath(new URL('./fixtures/stop-in-stages.ts', import.meta.url));

const start = async (...args: string[]) => {
  const child = spawn(process.execPath, [fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const deadline = performance.now() + 20_000;
  while (!stdout.includes('ready') && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  return { child, exited, lines: () => stdout.trim().split('\n') };
};

const markerFile = () => join(mkdtempSync(join(tmpdir(), 'lifecycle-')), 'killed');

const signal = (child: ChildProcess, name: NodeJS.Signals) => child.kill(name);

describe('shutdown in stages', () => {
  it('runs work, then runs, then services, each after the one before, then exits 128 + the signal', async () => {
    const marker = markerFile();
    const run = await start('graceful', marker);
    signal(run.child, 'SIGTERM');
    const [code] = await run.exited;
    expect(run.lines()).toEqual([
      'ready',
      'work start SIGTERM',
      'work done',
      'runs',
      'services start',
      'services done',
    ]);
    expect(code).toBe(143);
    // The last resort ran too, once the graceful handlers were done.
    expect(existsSync(marker)).toBe(true);
  });

  it('exits with the code a handler set (a stop that was asked for)', async () => {
    const run = await start('exit-code');
    signal(run.child, 'SIGINT');
    const [code] = await run.exited;
    expect(code).toBe(0);
  });

  it('stops at once on a second signal, still running the last-resort clean-up', async () => {
    const marker = markerFile();
    const run = await start('hang', marker);
    signal(run.child, 'SIGINT');
    while (!run.lines().includes('work hangs')) await new Promise((r) => setTimeout(r, 10));
    // A second press, not the same one delivered twice (see the next test).
    await new Promise((r) => setTimeout(r, SIGNAL_REPEAT_MS + 100));
    signal(run.child, 'SIGINT');
    const [code] = await run.exited;
    expect(code).toBe(130);
    expect(existsSync(marker)).toBe(true);
  });

  it('takes the same signal twice at once for one (a terminal signals the whole group, a wrapper relays it)', async () => {
    const run = await start('exit-code');
    signal(run.child, 'SIGINT');
    signal(run.child, 'SIGINT');
    const [code] = await run.exited;
    // The graceful stop ran to its end and set 0; a second request would have stopped it at once with 130.
    expect(code).toBe(0);
    expect(run.lines()).toContain('services done');
  });

  it('without graceful handlers, dies by the signal as by default, after the last-resort clean-up', async () => {
    const marker = markerFile();
    const run = await start('none', marker);
    signal(run.child, 'SIGTERM');
    const [code, killedBy] = await run.exited;
    expect({ code, killedBy }).toEqual({ code: null, killedBy: 'SIGTERM' });
    expect(existsSync(marker)).toBe(true);
  });
});

describe('withoutForeignHooks', () => {
  it("removes the exit and signal listeners a library adds while loading, and keeps everyone else's", async () => {
    const ours = () => {};
    process.on('beforeExit', ours);
    const theirs = () => {};
    const loaded = await withoutForeignHooks(async () => {
      process.on('beforeExit', theirs);
      process.on('SIGTERM', theirs);
      return 'module';
    });
    expect(loaded).toBe('module');
    expect(process.listeners('beforeExit')).toContain(ours);
    expect(process.listeners('beforeExit')).not.toContain(theirs);
    expect(process.listeners('SIGTERM')).not.toContain(theirs);
    process.off('beforeExit', ours);
  });
});
