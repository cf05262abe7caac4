/**
 * Waits for `closing` at most `ms`. BullMQ's close() calls wait for Redis, forever when Redis is
 * away; a shutdown must still finish (bounded by the process manager's stop timeout anyway).
 */
export const closeWithin = (closing: Promise<unknown> | undefined, ms: number): Promise<unknown> =>
  Promise.race([(closing ?? Promise.resolve()).catch(() => {}), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
