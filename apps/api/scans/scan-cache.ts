import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { REDIS_CLIENT } from '#redis';
import { ServedBytes } from './served-bytes.js';
import type { ScanDto } from './scans.dto.js';

export interface CachedScan {
  ownerKeyId: string;
  scan: ScanDto;
  /**
   * The cached answer's response body, `{...scan, cached: true}` serialized once: set on entries
   * this process holds in memory, so a repeat is sent without a Redis read or a serialization.
   */
  body?: Buffer;
}

/** Longest an entry is served from this process's memory, s (the Redis entry may live longer). */
const MEMORY_TTL_SECONDS = 300;
/** Memory bounds of the in-process copy: a few thousand answers of 25 hits, or 32 MiB. */
const MEMORY_MAX_ENTRIES = 4096;
const MEMORY_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Completed scans in Redis, keyed by request hash and data version: a new data version retires
 * every entry by changing the key. The cache is an accelerator only — any Redis error is a miss,
 * and PostgreSQL still holds every result.
 *
 * In front of Redis, each api process keeps the entries it served as response bytes in a bounded
 * LRU (ServedBytes) under the same key. An entry never changes meaning once written — the
 * completed run of that request on that data version — so a copy is as good as Redis's until it
 * expires; a new data version empties the memory at once.
 */
@Injectable()
export class ScanCache {
  private readonly logger = new Logger(ScanCache.name);
  private readonly memory = new ServedBytes<CachedScan>(MEMORY_MAX_ENTRIES, MEMORY_MAX_BYTES);
  private memoryVersion = -1;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private key(requestHash: string, dataVersion: number): string {
    return `scan:cache:${requestHash}:${dataVersion}`;
  }

  async get(requestHash: string, dataVersion: number): Promise<CachedScan | null> {
    const key = this.key(requestHash, dataVersion);
    this.retireOlderVersions(dataVersion);
    const held = this.memory.get(key);
    if (held) return held;
    try {
      const text = await this.redis.get(key);
      if (!text) return null;
      const entry = JSON.parse(text) as CachedScan;
      return this.remember(key, entry);
    } catch (error) {
      this.logger.warn({ err: error }, 'scan cache unavailable: treated as a miss');
      return null;
    }
  }

  async set(requestHash: string, dataVersion: number, entry: CachedScan): Promise<void> {
    const key = this.key(requestHash, dataVersion);
    const { ownerKeyId, scan } = entry;
    try {
      await this.redis.set(
        key,
        JSON.stringify({ ownerKeyId, scan }),
        'EX',
        this.config.scans.cacheTtlSeconds,
      );
      this.retireOlderVersions(dataVersion);
      this.remember(key, { ownerKeyId, scan });
    } catch (error) {
      this.logger.warn({ err: error }, 'scan cache unavailable: result not cached');
    }
  }

  private remember(key: string, entry: CachedScan): CachedScan {
    const body = Buffer.from(JSON.stringify({ ...entry.scan, cached: true }));
    const held = { ...entry, body };
    const ttl = Math.min(MEMORY_TTL_SECONDS, this.config.scans.cacheTtlSeconds);
    this.memory.set(key, held, body.length, ttl * 1000);
    return held;
  }

  /** A newer data version makes every entry held for an older one unreachable: drop them now. */
  private retireOlderVersions(dataVersion: number): void {
    if (dataVersion === this.memoryVersion) return;
    if (dataVersion > this.memoryVersion) this.memory.clear();
    this.memoryVersion = Math.max(this.memoryVersion, dataVersion);
  }
}
