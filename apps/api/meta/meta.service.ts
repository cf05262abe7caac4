import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { GICS_SECTORS, sectorAliases } from '#market-data';
import { REDIS_CLIENT } from '#redis';
import { PROFILE_NAMES, PROFILES, SCAN_DEFAULTS } from '#scan-engine';
import type { Principal } from '../auth/api-key.service.js';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import { callerLimits } from './meta.limits.js';
import type { MetaDto, SectorDto, SignalThresholdsDto } from './meta.dto.js';
import { MetaRepository } from './meta.repository.js';

/** The engine's signal rule (DESIGN §5, `signalFor`); meta.service.spec.ts holds them together. */
export const SIGNAL_THRESHOLDS: Readonly<SignalThresholdsDto> = Object.freeze({
  strongLong: 75,
  long: 60,
  short: 40,
  strongShort: 25,
});

/**
 * The tag of a meta answer: everything but what is left of the limits, which moves with every
 * request (this one included) and would make every copy stale. It changes when the data, the
 * catalogue, the profiles or the configured limits do.
 */
export function metaEtag(meta: MetaDto): string {
  const stable = {
    ...meta,
    limits: { ...meta.limits, buckets: meta.limits.buckets.map((b) => [b.bucket, b.limit]) },
  };
  const digest = createHash('sha256').update(JSON.stringify(stable)).digest('base64url');
  return `W/"meta-${digest.slice(0, 27)}"`;
}

/** The GICS sectors, then any other sector items carry (the synthetic universe's). */
export function sectorsOf(counts: ReadonlyMap<string, number>): SectorDto[] {
  const gics: readonly string[] = GICS_SECTORS;
  const names = [...gics, ...[...counts.keys()].filter((s) => !gics.includes(s)).sort()];
  return names.map((name) => ({
    name,
    aliases: sectorAliases(name),
    instruments: counts.get(name) ?? 0,
  }));
}

@Injectable()
export class MetaService {
  constructor(
    private readonly meta: MetaRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly limiter: RedisThrottlerStorage,
  ) {}

  async get(principal: Principal, ip: string): Promise<{ meta: MetaDto; etag: string }> {
    const [data, counts, limits] = await Promise.all([
      this.meta.data(),
      this.meta.sectorCounts(),
      callerLimits(this.redis, this.config, principal, ip, (key) => this.limiter.unspent(key)),
    ]);
    const meta: MetaDto = {
      data,
      sectors: sectorsOf(counts),
      profiles: PROFILE_NAMES.map((name) => ({
        name,
        default: name === SCAN_DEFAULTS.profile,
        ...PROFILES[name],
      })),
      signalThresholds: { ...SIGNAL_THRESHOLDS },
      limits,
    };
    return { meta, etag: metaEtag(meta) };
  }
}
