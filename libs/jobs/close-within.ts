/**
 * Waits for `closing` at most `ms`; true when it settled in time. BullMQ's close() calls wait for
 * Redis, forever when Redis is away; a shutdown must still finish (bounded by the process manager's
 * stop timeout anyway).
 */
export const closeWithin = (closing: Promise<unknown> | undefined, ms: number): Promise<boolean> =>
  Promise.race([
    (closing ?? Promise.resolve()).then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);
