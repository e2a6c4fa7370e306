/**
 * `count` calls shared out among `callers`, each caller making its next call once its last one is
 * answered (so as many are in flight as there are callers), in calls per second.
 */
export const driveCalls = async <C>(
  callers: readonly C[],
  count: number,
  call: (caller: C, i: number) => Promise<unknown>,
): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    callers.map(async (caller) => {
      while (next < count) await call(caller, next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
};
