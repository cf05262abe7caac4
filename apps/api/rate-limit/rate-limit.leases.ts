import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';

/**
 * A lease is never asked for when a limit would give fewer units than this: a small budget (a
 * write budget of 60, a connect budget of 40) is counted in Redis request by request, exactly.
 */
const MIN_LEASE = 2;
/** A lease is at most this share of its limit (1/32: about 3 %)… */
const LEASE_SHARE = 32;
/**
 * …and at most this many units (four 256-text batches): a busy credential still reaches Redis
 * every thousand units or so.
 */
const MAX_LEASE = 1024;
/**
 * A lease ends this long before Redis ends the window it was counted in, so a unit is never spent
 * in a window that has rolled over (the end is reckoned from when the round trip was sent, which
 * is never later than when Redis read the window's TTL).
 */
export const LEASE_END_MARGIN_MS = 50;

/** Units to ask Redis for along with a round trip for `limit`: 0 for a limit too small to lease from. */
export function leaseUnits(limit: number): number {
  const units = Math.min(MAX_LEASE, Math.floor(limit / LEASE_SHARE));
  return units >= MIN_LEASE ? units : 0;
}

/** The highest window count at which Redis grants a lease: half the limit. */
export const leaseCeiling = (limit: number): number => Math.floor(limit / 2);

interface Lease {
  /** Units counted in Redis for this process and not admitted yet. */
  left: number;
  /** The window's count as this process knows it: Redis's at its last round trip, plus since. */
  hits: number;
  limit: number;
  /** Whether the last round trip granted a lease (the window's count was at most half the limit). */
  farFromLimit: boolean;
  /** performance.now() at which the lease ends: LEASE_END_MARGIN_MS before Redis ends the window. */
  endsAt: number;
  lastUsedAt: number;
}

/**
 * Units of the limiter's counters that this api process counted in Redis ahead of use, per key
 * (bucket and credential), so that a credential far from its budget is admitted without a round
 * trip (docs/decisions.md, "Limiter leases"). Every unit admitted anywhere was counted in Redis
 * before it was admitted, so no process, nor all of them together, ever admits more than the
 * limit. A lease is granted only while the window's count stays at or under half the limit, and
 * its holder spends it before it asks Redis again; an idle lease's units are given back.
 */
export class RateLimitLeases {
  private readonly leases = new Map<string, Lease>();
  /** When each key's last round trip came back, for keys seen within idleMs. */
  private readonly lastTrip = new Map<string, number>();

  /**
   * @param idleMs a lease unused this long is given back; and a key is only leased to when its
   *   previous round trip was this recent (a credential sending a request a second would otherwise
   *   get a lease, and give it back, on every request: two Redis calls instead of one).
   */
  constructor(
    private readonly idleMs = 500,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Keys held: leases, and keys seen lately (the sweeper runs while there are any). */
  get size(): number {
    return this.leases.size + this.lastTrip.size;
  }

  /** Units to ask for with a round trip of `key`: 0 for a small limit or a key not seen lately. */
  want(key: string, limit: number): number {
    const last = this.lastTrip.get(key);
    return last !== undefined && this.now() - last < this.idleMs ? leaseUnits(limit) : 0;
  }

  /**
   * Spends `count` units of `key`'s lease: the record to answer with, or null when the lease is
   * missing, ended, made for another limit or too small (the caller asks Redis).
   */
  take(key: string, limit: number, count: number): ThrottlerStorageRecord | null {
    const lease = this.leases.get(key);
    const now = this.now();
    if (!lease || now >= lease.endsAt || lease.limit !== limit || lease.left < count) return null;
    lease.left -= count;
    lease.hits += count;
    lease.lastUsedAt = now;
    const seconds = Math.max(1, Math.ceil((lease.endsAt + LEASE_END_MARGIN_MS - now) / 1000));
    return { totalHits: lease.hits, timeToExpire: seconds, isBlocked: false, timeToBlockExpire: 0 };
  }

  /**
   * After a round trip for `key` sent at `sentAt`: Redis counted the window up to `hits`, granted
   * `granted` units more (0: none) and ends the window `pttl` ms after it read it. Units still left
   * of a lease in the same window stay this process's.
   */
  settle(
    key: string,
    limit: number,
    {
      hits,
      granted,
      pttl,
      sentAt,
    }: { hits: number; granted: number; pttl: number; sentAt: number },
  ): void {
    const now = this.now();
    this.lastTrip.set(key, now);
    const endsAt = sentAt + pttl - LEASE_END_MARGIN_MS;
    const lease = this.leases.get(key);
    const kept = lease && now < lease.endsAt && lease.limit === limit ? lease.left : 0;
    if (granted <= 0 && kept === 0) {
      this.leases.delete(key);
      return;
    }
    this.leases.set(key, {
      left: kept + granted,
      hits,
      limit,
      farFromLimit: granted > 0,
      endsAt: lease && kept > 0 ? Math.min(lease.endsAt, endsAt) : endsAt,
      lastUsedAt: now,
    });
  }

  /**
   * Takes `units` given back (a request that turned out to cost nothing) into `key`'s lease while
   * the budget is far from exhausted. False: the units go back to Redis, where every process sees
   * them — near the limit, a unit held here would be one refused to another process.
   */
  refund(key: string, units: number): boolean {
    const lease = this.leases.get(key);
    if (!lease || !lease.farFromLimit || this.now() >= lease.endsAt) return false;
    lease.left += units;
    lease.hits = Math.max(0, lease.hits - units);
    return true;
  }

  /** Units of `key` counted in Redis that this process holds unspent. */
  unspent(key: string): number {
    const lease = this.leases.get(key);
    return lease && this.now() < lease.endsAt ? lease.left : 0;
  }

  /**
   * Forgets ended leases, and leases unused for `idleMs`: the latter's unspent units are returned
   * for the caller to give back to Redis, so a credential whose traffic moved to another process
   * gets them there.
   */
  sweep(): [key: string, units: number][] {
    const now = this.now();
    const returned: [string, number][] = [];
    for (const [key, at] of this.lastTrip) if (now - at >= this.idleMs) this.lastTrip.delete(key);
    for (const [key, lease] of this.leases) {
      if (now >= lease.endsAt) this.leases.delete(key);
      else if (now - lease.lastUsedAt >= this.idleMs) {
        this.leases.delete(key);
        if (lease.left > 0) returned.push([key, lease.left]);
      }
    }
    return returned;
  }

  /** Every lease's unspent units (the process is stopping), forgetting them all. */
  drain(): [key: string, units: number][] {
    const now = this.now();
    const returned: [string, number][] = [];
    for (const [key, lease] of this.leases)
      if (now < lease.endsAt && lease.left > 0) returned.push([key, lease.left]);
    this.leases.clear();
    this.lastTrip.clear();
    return returned;
  }
}
