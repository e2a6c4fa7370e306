import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** A `lab` command running in a process group of its own, as a terminal would start it. */
export interface LabProcess {
  readonly child: ChildProcess;
  /** The group's id (the command's pid): a terminal's Ctrl-C signals every process in it. */
  readonly group: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr or stdout matches `pattern`; rejects if the command ends first or `timeoutMs` passes. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves to the exit code (or the signal that ended it). */
  exited(): Promise<number | NodeJS.Signals>;
}

/**
 * Starts the CLI's own entry point (Node strips its types) with `args`, detached into a new process
 * group, so that a test can signal the whole group as a terminal does; what it starts (an embedded
 * Postgres, redis-server) joins that group.
 */
export const startLab = (
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): LabProcess => {
  const child = spawn(process.execPath, ['apps/cli/src/bin.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | NodeJS.Signals);
  let ended = false;
  void exit.then(() => {
    ended = true;
  });
  return {
    child,
    group: child.pid as number,
    stdout: () => out,
    stderr: () => err,
    waitFor: async (pattern, timeoutMs = 60_000) => {
      const deadline = performance.now() + timeoutMs;
      while (!pattern.test(err) && !pattern.test(out)) {
        if (ended) throw new Error(`the command ended before ${pattern} appeared:\n${err}\n${out}`);
        if (performance.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${err}`);
        await sleep(50);
      }
    },
    exited: () => exit,
  };
};

/** The pids of every live process in process group `group` (a zombie counts as gone). */
export const processesInGroup = (group: number): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // After the command in parentheses: state, ppid, pgrp.
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(pgrp) === group && state !== 'Z' && state !== 'X' ? [Number(name)] : [];
      } catch {
        return [];
      }
    });

/** Resolves to the processes still alive in `group` once none is, or after `timeoutMs`. */
export const groupLeftovers = async (group: number, timeoutMs = 5_000): Promise<number[]> => {
  const deadline = performance.now() + timeoutMs;
  while (processesInGroup(group).length > 0 && performance.now() < deadline) await sleep(50);
  return processesInGroup(group);
};
