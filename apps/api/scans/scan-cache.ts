import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { REDIS_CLIENT } from '#redis';
import type { ScanDto } from './scans.dto.js';

export interface CachedScan {
  ownerKeyId: string;
  scan: ScanDto;
}

/**
 * Completed scans in Redis, keyed by request hash and data version: a new data version retires
 * every entry by changing the key. The cache is an accelerator only — any Redis error is a miss,
 * and PostgreSQL still holds every result.
 */
@Injectable()
export class ScanCache {
  private readonly logger = new Logger(ScanCache.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private key(requestHash: string, dataVersion: number): string {
    return `scan:cache:${requestHash}:${dataVersion}`;
  }

  async get(requestHash: string, dataVersion: number): Promise<CachedScan | null> {
    try {
      const text = await this.redis.get(this.key(requestHash, dataVersion));
      return text ? (JSON.parse(text) as CachedScan) : null;
    } catch (error) {
      this.logger.warn({ err: error }, 'scan cache unavailable: treated as a miss');
      return null;
    }
  }

  async set(requestHash: string, dataVersion: number, entry: CachedScan): Promise<void> {
    try {
      await this.redis.set(
        this.key(requestHash, dataVersion),
        JSON.stringify(entry),
        'EX',
        this.config.scans.cacheTtlSeconds,
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'scan cache unavailable: result not cached');
    }
  }
}
