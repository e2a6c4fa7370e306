// k6 provides `console` in every context (its output goes to k6's log), but @types/k6 leaves it to
// the DOM library, which would also declare browser globals k6 does not have. Only what k6 has:
declare const console: {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
  debug(...values: unknown[]): void;
};
