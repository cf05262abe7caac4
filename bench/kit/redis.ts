/**
 * A Redis database of the bench's own. Another client on the same database — say a local production
 * topology (`npm run host:up`) — would take the bench's scan jobs with its own workers and turn every
 * latency into noise, and flushing would wipe its queue: a bench claims the database only when no
 * one else is on it, empties it (queue, cache, limits of an earlier run) and empties it again after.
 */
import { Redis } from 'ioredis';

/** FLUSHDB when no other client is connected to the database, else `onShared(who)`. */
export async function withOwnRedisDb(
  redisUrl: string,
  onShared: (others: string) => void,
): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const db = Number(new URL(redisUrl).pathname.slice(1) || 0);
    const me = String(await redis.client('ID'));
    const others = String(await redis.client('LIST'))
      .split('\n')
      .filter((line) => line.includes(` db=${db} `) && !line.startsWith(`id=${me} `));
    if (others.length > 0)
      return onShared(
        `${others.length} other client(s) (${others.map((l) => /addr=(\S+)/.exec(l)?.[1] ?? '?').join(', ')})`,
      );
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/** Empties the database before a run; throws when someone else uses it (`setting` names the variable that picks another). */
export async function claimRedisDb(redisUrl: string, setting: string): Promise<void> {
  await withOwnRedisDb(redisUrl, (others) => {
    throw new Error(
      `Redis ${redisUrl} is in use by ${others}: choose a free database with ${setting}`,
    );
  });
}

/** After the run: empties the database again, unless someone else connected meanwhile (then says so). */
export async function releaseRedisDb(redisUrl: string): Promise<void> {
  await withOwnRedisDb(redisUrl, (others) =>
    console.error(`left ${redisUrl} as it is: ${others} connected to it during the run`),
  ).catch((e: Error) => console.error(`could not empty ${redisUrl}: ${e.message}`));
}
