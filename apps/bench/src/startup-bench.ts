import { spawnSync } from 'node:child_process';

export interface StartupRow {
  readonly command: string;
  readonly minMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/** Runs `args` with this Node `runs` times as a whole process and times each; a failing run is an error. */
export const timeCommand = (label: string, args: readonly string[], runs: number): StartupRow => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', env: process.env });
    times.push(performance.now() - started);
    if (child.status !== 0) throw new Error(`${label} exited ${child.status}: ${child.stderr}`);
  }
  times.sort((a, b) => a - b);
  return {
    command: label,
    minMs: times[0] ?? 0,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    maxMs: times.at(-1) ?? 0,
    runs,
  };
};
