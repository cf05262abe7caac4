import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ScanSummary } from '#jobs';

export type ScanStatus = 'queued' | 'running' | 'completed' | 'failed';

/**
 * One scan computation: a normalized request on one data version. The key that started it owns it;
 * keys that asked for the same scan while it ran or from the cache are added as viewers.
 * At most one run per (request, data version) is in flight: the partial unique index makes
 * identical concurrent requests share a run, and run ids double as BullMQ job ids (never reused).
 */
@Entity({ name: 'scan_runs' })
@Index('scan_runs_in_flight_uq', ['requestHash', 'dataVersion'], {
  unique: true,
  where: `status IN ('queued', 'running')`,
})
@Index('scan_runs_in_flight_key_idx', ['apiKeyId'], { where: `status IN ('queued', 'running')` })
@Index('scan_runs_completed_idx', ['requestHash', 'dataVersion', 'completedAt'], {
  where: `status = 'completed'`,
})
// A key's history (GET /v1/scans, newest first) and the retention job's oldest-first batches.
@Index('scan_runs_key_created_idx', ['apiKeyId', 'createdAt'])
@Index('scan_runs_created_idx', ['createdAt'])
// The viewer side of a key's history (`viewer_key_ids @> ARRAY[key]`): a GIN index, which the
// decorator cannot declare, so the migration owns it and the schema check leaves it alone.
@Index('scan_runs_viewers_idx', { synchronize: false })
export class ScanRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'api_key_id', type: 'uuid' })
  apiKeyId!: string;

  @Column({ name: 'viewer_key_ids', type: 'uuid', array: true, default: () => "'{}'" })
  viewerKeyIds!: string[];

  /** sha256 of the normalized request (without the data version). */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'jsonb' })
  request!: Record<string, unknown>;

  @Column({ name: 'data_version', type: 'integer' })
  dataVersion!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ScanStatus;

  /** Set when the run completes, in the same transaction as its hits (in scan_results). */
  @Column({ type: 'jsonb', nullable: true })
  summary!: ScanSummary | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
