import { formatCount, formatDuration } from '@concurrency-lab/report';
import { SingleBar } from 'cli-progress';

/** How a long command shows how far it is: a bar on a terminal, a line every few seconds elsewhere. */
export interface ProgressReporter {
  /** Operations done so far, of the total given at the start, and what is going on (shown beside them). */
  update(done: number, detail?: string): void;
  /** A line of its own, above the bar on a terminal. */
  line(text: string): void;
  /** The estimate of the time left at the pace so far: `about 3 min left`, `estimating`, `done`. */
  left(): string;
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

/** `about 3 min left`: the pace so far, kept up for the operations still to run. */
const timeLeft = (done: number, total: number, elapsedMs: number): string =>
  done >= total
    ? 'done'
    : done > 0
      ? `about ${formatDuration((elapsedMs * (total - done)) / done)} left`
      : 'estimating';

/**
 * One progress line: done of total, the share, the time so far and an estimate of the time left
 * (the pace so far, kept up), e.g. `progress: 2500/10000 ops (25%) · 4 s elapsed · about 12 s left`.
 */
export const progressLine = (done: number, total: number, elapsedMs: number, detail?: string): string => {
  const share = total > 0 ? Math.floor((done / total) * 100) : 100;
  const left = timeLeft(done, total, elapsedMs);
  return `progress: ${formatCount(done)}/${formatCount(total)} ops (${share}%) · ${formatDuration(elapsedMs)} elapsed · ${left}${detail ? ` · ${detail}` : ''}`;
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
    left: () => timeLeft(done, options.total, now() - started),
    stop: () => clearInterval(timer),
  };
};

const barReporter = (options: ProgressOptions, stream: NodeJS.WriteStream): ProgressReporter => {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let done = 0;
  const bar = new SingleBar({
    format:
      '  {bar} {value}/{total} ops · {duration_formatted} elapsed · about {eta_formatted} left · {detail}',
    stream,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(options.total, 0, { detail: '' });
  return {
    update: (d, detail) => {
      done = d;
      bar.update(d, { detail: detail ?? '' });
    },
    line: (text) => {
      // cli-progress redraws the bar on its own line; a line printed between two redraws stays above it.
      stream.write(`\r\x1b[K${text}\n`);
      bar.render();
    },
    left: () => timeLeft(done, options.total, now() - started),
    stop: () => bar.stop(),
  };
};

/** A progress bar on a terminal; elsewhere (a pipe, a CI log) a line every few seconds. */
export const progressReporter = (options: ProgressOptions): ProgressReporter => {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? barReporter(options, stream) : lineReporter(options, stream);
};
