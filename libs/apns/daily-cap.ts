import type { Redis } from 'ioredis';

/**
 * Takes one push from the installation's budget of the day, atomically: INCR, and give it back when
 * over the cap (so the counter never drifts above it). One script, so two workers taking the last
 * unit at once cannot both get it. The key lives two days: the day's count outlives its day.
 */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 172800) end
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1`;

/**
 * At most `cap` pushes per installation per UTC day, counted in Redis so every worker shares the
 * count. A push that did not reach the phone (refused, failed) is given back.
 */
export class PushDailyCap {
  constructor(
    private readonly redis: Redis,
    private readonly cap: number,
    private readonly prefix = 'apns:pushes',
  ) {}

  /** Whether the installation may receive one more push today; if so, it is counted. */
  async take(installationId: string, now = new Date()): Promise<boolean> {
    const taken = await this.redis.eval(TAKE, 1, this.key(installationId, now), this.cap);
    return taken === 1;
  }

  /** Gives back a push taken today that never reached the phone. */
  async giveBack(installationId: string, now = new Date()): Promise<void> {
    await this.redis.decr(this.key(installationId, now));
  }

  private key(installationId: string, now: Date): string {
    return `${this.prefix}:${now.toISOString().slice(0, 10)}:${installationId}`;
  }
}
