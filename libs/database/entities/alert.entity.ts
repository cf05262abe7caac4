import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { WatchEntity, type WatchResultRow } from './watch.entity.js';

export type AlertKind = 'entered' | 'exited' | 'signalChanged';
export const ALERT_KINDS: readonly AlertKind[] = ['entered', 'exited', 'signalChanged'];

/** null = not yet handled by alert-delivery. */
export type PushState = 'sent' | 'no-token' | 'capped' | 'rejected' | 'failed';

/**
 * One change a watch saw on one data version. The bigserial id is the cursor of GET /v1/alerts;
 * the UNIQUE (watch, data version, kind, symbol) makes a retried evaluation unable to record the
 * same change twice. Delivery state (WebSocket, APNs) is kept on the row so a retried delivery
 * job never sends twice.
 */
@Entity({ name: 'alerts' })
@Unique('alerts_watch_version_kind_symbol_uq', ['watchId', 'dataVersion', 'kind', 'symbol'])
@Index('alerts_installation_id_idx', ['installationId', 'id'])
export class AlertEntity {
  /** bigint: the driver returns it as a string, which is also how the API shows it. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'alerts_pk' })
  id!: string;

  @Column({ name: 'watch_id', type: 'uuid' })
  watchId!: string;

  @ManyToOne(() => WatchEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'watch_id', foreignKeyConstraintName: 'alerts_watch_fk' })
  watch?: WatchEntity;

  @Column({ name: 'installation_id', type: 'uuid' })
  installationId!: string;

  @Column({ name: 'data_version', type: 'integer' })
  dataVersion!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: AlertKind;

  @Column({ type: 'varchar', length: 10 })
  symbol!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: WatchResultRow | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: WatchResultRow | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'ws_published_at', type: 'timestamptz', nullable: true })
  wsPublishedAt!: Date | null;

  @Column({ name: 'push_state', type: 'varchar', length: 16, nullable: true })
  pushState!: PushState | null;

  @Column({ name: 'pushed_at', type: 'timestamptz', nullable: true })
  pushedAt!: Date | null;
}
