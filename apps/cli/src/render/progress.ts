import { SingleBar } from 'cli-progress';

/** How a long command shows how far it is: a bar on a terminal, a line every few seconds elsewhere. */
export interface ProgressReporter {
  /** Operations done so far, of the total given at the start, and what is going on (shown beside them). */
  update(done: number, detail?: string): void;
  /** A line of its own, above the bar on a terminal. */
  line(text: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Operations in all. */
  readonly total: number;
  /** Where it goes (default: stderr, so that stdout stays the result). */
  readonly stream?: NodeJS.WriteStream;
  /** Between two lines when the stream is not a terminal (default: LAB_PROGRESS_INTERVAL_MS, else 5000). */
  readonly intervalMs?: number;
  /** Milliseconds from some fixed point (default: performance.now). */
  readonly now?: () => number;
}

const DEFAULT_INTERVAL_MS = 5_000;

const intervalFromEnv = (): number => {
  const value = Number(process.env.LAB_PROGRESS_INTERVAL_MS);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_INTERVAL_MS;
};

/** `42 s`, `3 min 5 s`, `1 h 2 min`: a duration as a person reads it. */
export const humanDuration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const min = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${min ? ` ${min} min` : ''}`;
};

/**
 * One progress line: done of total, the share, the time so far and an estimate of the time left
 * (the pace so far, kept up), e.g. `progress: 2500/10000 ops (25%) · 4 s elapsed · about 12 s left`.
 */
export const progressLine = (done: number, total: number, elapsedMs: number, detail?: string): string => {
  const share = total > 0 ? Math.floor((done / total) * 100) : 100;
  const left =
    done >= total
      ? 'done'
      : done > 0
        ? `about ${humanDuration((elapsedMs * (total - done)) / done)} left`
        : 'estimating';
  return `progress: ${done}/${total} ops (${share}%) · ${humanDuration(elapsedMs)} elapsed · ${left}${detail ? ` · ${detail}` : ''}`;
};

/** Lines at a fixed interval, whether or not anything moved: a stalled run shows that it stalls. */
const lineReporter = (options: ProgressOptions, stream: NodeJS.WriteStream): ProgressReporter => {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let done = 0;
  let detail: string | undefined;
  const timer = setInterval(() => {
    stream.write(`${progressLine(done, options.total, now() - started, detail)}\n`);
  }, options.intervalMs ?? intervalFromEnv());
  // Progress must never keep a finished process alive.
  timer.unref();
  return {
    update: (d, text) => {
      done = d;
      detail = text;
    },
    line: (text) => stream.write(`${text}\n`),
    stop: () => clearInterval(timer),
  };
};

const barReporter = (options: ProgressOptions, stream: NodeJS.WriteStream): ProgressReporter => {
  const bar = new SingleBar({
    format:
      '  {bar} {value}/{total} ops · {duration_formatted} elapsed · about {eta_formatted} left · {detail}',
    stream,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(options.total, 0, { detail: '' });
  return {
    update: (done, detail) => bar.update(done, { detail: detail ?? '' }),
    line: (text) => {
      // cli-progress redraws the bar on its own line; a line printed between two redraws stays above it.
      stream.write(`\r\x1b[K${text}\n`);
      bar.render();
    },
    stop: () => bar.stop(),
  };
};

/** A progress bar on a terminal; elsewhere (a pipe, a CI log) a line every few seconds. */
export const progressReporter = (options: ProgressOptions): ProgressReporter => {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? barReporter(options, stream) : lineReporter(options, stream);
};
