import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS } from '@concurrency-lab/services';
import { describe, expect, it } from 'vitest';
import { runCli, runCliWithEnv } from './run-cli.ts';

describe('pnpm lab faults', () => {
  it('lists every fault with how to write it, its paragraph and the labs it applies to', () => {
    const { status, stdout } = runCli('faults');
    expect(status).toBe(0);
    for (const fault of FAULTS) expect(stdout).toContain(`--fault ${fault.name}`);
    expect(stdout).toContain('--fault kill-redis-nodes:<k>');
    expect(stdout).toContain('--fault pause-holder[:<ms>]');
    // restart-redis-node concerns only Redlock; terminate-backends every lab on Postgres but redis-lua.
    const block = (name: string) => stdout.slice(stdout.indexOf(`--fault ${name}`)).split('\n\n')[0] ?? '';
    expect(block('restart-redis-node')).toMatch(/applies to: redlock$/);
    expect(block('terminate-backends')).not.toContain('redis-lua');
    expect(block('kill-redis-nodes')).toMatch(/applies to: redis-lua, redis-lock, redlock$/);
  });
});

describe('pnpm lab run --fault: what is not accepted exits 2 before anything runs', () => {
  it.each([
    [
      ['run', 'redis-lock', '--fault', 'no-such-fault'],
      'unknown fault "no-such-fault"; valid faults: pause-holder[:<ms>], kill-redis-nodes:<k>',
    ],
    [['run', 'redis-lock', '--fault', 'pause-holder:soon'], 'fault pause-holder: "soon" is not accepted'],
    [
      ['run', 'redlock', '--fault', 'kill-redis-nodes'],
      'fault kill-redis-nodes needs an argument: kill-redis-nodes:<k>',
    ],
    [['run', 'redlock', '--fault', 'kill-redis-nodes:6'], 'lab redlock has 5 nodes'],
    [['run', 'redis-lock', '--fault', 'kill-redis-nodes:2'], 'lab redis-lock has 1 node'],
    [['run', 'redlock', '--fault', 'restart-redis-node:1'], 'fault restart-redis-node takes no argument'],
    [
      ['run', 'update-returning', '--fault', 'kill-redis-nodes:1'],
      'fault kill-redis-nodes does not apply to lab update-returning: it uses no Redis; faults for update-returning: pause-holder[:<ms>], terminate-backends, latency:<target>:<ms>, partition:<target>[:<ms>], kill-replica',
    ],
    [
      ['run', 'redis-lock', '--fault', 'restart-redis-node'],
      'fault restart-redis-node does not apply to lab redis-lock',
    ],
    [['run', 'redis-lua', '--fault', 'terminate-backends'], 'it uses no Postgres'],
    [['run', 'redis-lock', '--fault-at', '100'], '--fault-at and --fault-for say when faults start and stop'],
    [['compare', '--labs', 'redlock', '--fault', 'no-such-fault'], 'unknown fault "no-such-fault"'],
  ])('lab %j', (args, message) => {
    const { status, stderr, stdout } = runCli(...args);
    expect(stderr).toContain(message);
    expect(status).toBe(2);
    expect(stdout).toBe('');
  });

  it('a process fault refuses Redis nodes the run did not start (LAB_REDLOCK_URLS), saying how to fix it', () => {
    const urls = Array.from({ length: 5 }, (_, i) => `redis://127.0.0.1:${1 + i}`).join(',');
    const { status, stderr } = runCliWithEnv(
      { LAB_REDLOCK_URLS: urls },
      'run',
      'redlock',
      '--fault',
      'kill-redis-nodes:2',
    );
    expect(stderr).toContain(
      'acts only on redis-server processes this run starts, and LAB_REDLOCK_URLS points lab redlock at Redis it did not start',
    );
    expect(status).toBe(2);
  });
});

describe('pnpm lab run --fault: the fault is in the output and in the history', () => {
  it('pause-holder on redis-lock: UNSAFE as expected (exit 0), a Fault line, and the start and stop as nemesis ops in the JSONL', () => {
    const history = join(mkdtempSync(join(tmpdir(), 'lab-faults-')), 'history.jsonl');
    const args = ['--scenario', 'flash-sale-basic', '--lock-ttl', '1000', '--fault', 'pause-holder'];
    const { status, stdout, stderr } = runCli('run', 'redis-lock', ...args, '--history', history);
    expect(stdout, stderr).toMatch(/Fault {6}pause-holder from [\d,.]+ ms to [\d,.]+ ms/);
    // The expectation follows the run's faults: pause-holder without fencing is expected unsafe.
    expect(stdout).toContain('UNSAFE: ');
    expect(stdout).toContain('as expected');
    expect(status).toBe(0);
    const lines = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const nemesis = lines.filter((line) => line.request?.kind === 'nemesis');
    expect(nemesis.map((op) => [op.request.phase, op.request.fault, op.outcome.type])).toEqual([
      ['start', 'pause-holder', 'ok'],
      ['stop', 'pause-holder', 'ok'],
    ]);
    // The client ops are all there besides them, and the fault's ops are in invocation order among them.
    expect(lines.filter((line) => line.request && line.request.kind !== 'nemesis')).toHaveLength(100);
    const times = lines.slice(1).map((op) => op.invokedAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('pause-holder on select-for-update: safe, as expected, exit 0', () => {
    const { status, stdout } = runCli(
      'run',
      'select-for-update',
      '--scenario',
      'flash-sale-basic',
      '--fault',
      'pause-holder',
      '--json',
    );
    const result = JSON.parse(stdout);
    expect(result.verdict.valid).toBe(true);
    expect(result.faults).toEqual([expect.objectContaining({ name: 'pause-holder' })]);
    expect(status).toBe(0);
  });
});

describe('pnpm lab run --http --fault kill-replica', () => {
  it('one replica of two is SIGKILLed: its requests become info, the other keeps serving, no violation', () => {
    const args = [
      '--scenario',
      'flash-sale-basic',
      '--http',
      '--replicas',
      '2',
      '--fault',
      'kill-replica',
      '--json',
    ];
    const { stdout, stderr } = runCli('run', 'select-for-update', ...args);
    expect(stderr).toContain(
      'replica 2 exited unexpectedly (signal SIGKILL); restarting it, the others keep serving',
    );
    const result = JSON.parse(stdout);
    expect(result.faults).toEqual([expect.objectContaining({ name: 'kill-replica' })]);
    expect(result.faults[0].error).toBeUndefined();
    expect(result.verdict.violations).toEqual([]);
    // Each request carried the harness's id as its op key, so even an answer lost with the replica
    // is matched with its ledger row: every unknown resolves, and the verdict is exact.
    expect(result.unknownOutcomes.unknown).toBeGreaterThan(0);
    expect(result.unknownOutcomes.unresolved).toBe(0);
    expect(result.verdict.valid).toBe(true);
    const [first, second] = result.http.byReplica;
    expect(first.info).toBe(0);
    expect(first.ok).toBeGreaterThan(0);
    expect(second.info).toBeGreaterThan(0);
  });

  it.each([
    [
      ['run', 'select-for-update', '--fault', 'kill-replica'],
      'it needs --http --replicas N with N of at least 2',
    ],
    [['run', 'select-for-update', '--http', '--fault', 'kill-replica'], 'it needs --http --replicas N'],
    [['run', 'redis-lock', '--http', '--replicas', '2', '--fault', 'pause-holder'], 'run it without --http'],
  ])('lab %j exits 2', (args, message) => {
    const { status, stderr } = runCli(...args);
    expect(stderr).toContain(message);
    expect(status).toBe(2);
  });
});
