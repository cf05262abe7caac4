import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { InstallationEntity } from './installation.entity.js';

/** What a watch alerts on. */
export type WatchEvent = 'enter' | 'exit' | 'signalChange';

export interface WatchNotify {
  /** How many of the ranking's first rows the watch follows (1..50). */
  topN: number;
  on: WatchEvent[];
}

/** One row of a watch's remembered top-N: what the next evaluation compares against. */
export interface WatchResultRow {
  symbol: string;
  rank: number;
  signal: string;
  techRating: number;
}

/**
 * A saved scan of one installation (issue 17). `request` is the normalized scan request and
 * `request_hash` the hash the scan cache key uses, so every watch sharing a request is evaluated by
 * one scan. `last_data_version` is the idempotency fence: an evaluation of version V skips a watch
 * already at V, and writes its alerts and the new result in one transaction.
 */
@Entity({ name: 'watches' })
@Index('watches_installation_idx', ['installationId'])
@Index('watches_request_hash_idx', ['requestHash'])
export class WatchEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'watches_pk' })
  id!: string;

  @Column({ name: 'installation_id', type: 'uuid' })
  installationId!: string;

  @ManyToOne(() => InstallationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'installation_id', foreignKeyConstraintName: 'watches_installation_fk' })
  installation?: InstallationEntity;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'jsonb' })
  request!: Record<string, unknown>;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'jsonb' })
  notify!: WatchNotify;

  @Column({ name: 'last_data_version', type: 'integer', nullable: true })
  lastDataVersion!: number | null;

  @Column({ name: 'last_result', type: 'jsonb', nullable: true })
  lastResult!: WatchResultRow[] | null;

  @Column({ name: 'last_evaluated_at', type: 'timestamptz', nullable: true })
  lastEvaluatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
