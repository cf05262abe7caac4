import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { UsageDelta } from '#database';

/** Where counted usage goes: CredentialUsageRepository, or a fake in unit tests. */
export interface UsageSink {
  add(deltas: readonly UsageDelta[]): Promise<void>;
}
export const USAGE_SINK = Symbol('USAGE_SINK');
export const USAGE_FLUSH_MS = Symbol('USAGE_FLUSH_MS');

/**
 * Counts each credential's requests in memory and adds them to the database once per interval
 * (CREDENTIAL_USAGE_FLUSH_SECONDS, a minute by default): `keys list` shows last used and requests
 * today without a write per request. A failed write keeps the counts for the next one; shutdown
 * writes what is left, so a restart loses nothing but a killed process loses at most an interval.
 */
@Injectable()
export class CredentialUsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('CredentialUsage');
  private pending = new Map<string, UsageDelta>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(USAGE_SINK) private readonly sink: UsageSink,
    @Inject(USAGE_FLUSH_MS) private readonly flushMs: number,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  /** Before any module's shutdown hook: the database pool closes in those. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** One request of the credential `id` (an installation's when `installation`). */
  record(id: string, installation: boolean, at = new Date()): void {
    const entry = this.pending.get(id);
    if (entry) {
      entry.requests += 1;
      entry.lastUsedAt = at;
    } else {
      const kind = installation ? 'installation' : 'key';
      this.pending.set(id, { id, kind, requests: 1, lastUsedAt: at });
    }
  }

  /** Writes the counts gathered since the last flush in one batch. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.sink.add(batch);
    } catch (error) {
      for (const delta of batch) this.keep(delta);
      this.logger.warn({ err: error }, 'credential usage not written; kept for the next flush');
    }
  }

  private keep(delta: UsageDelta): void {
    const entry = this.pending.get(delta.id);
    if (!entry) return void this.pending.set(delta.id, delta);
    entry.requests += delta.requests;
    if (delta.lastUsedAt > entry.lastUsedAt) entry.lastUsedAt = delta.lastUsedAt;
  }
}
