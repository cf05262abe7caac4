import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { ScanHit } from '#jobs';
import { ScanRunEntity } from './scan-run.entity.js';

/** One ranked hit of a scan run. (run, rank) and (run, symbol) are unique: a re-run never duplicates. */
@Entity({ name: 'scan_results' })
@Index('scan_results_run_symbol_uq', ['scanRunId', 'symbol'], { unique: true })
export class ScanResultEntity {
  @PrimaryColumn({ name: 'scan_run_id', type: 'uuid' })
  @ForeignKey(() => ScanRunEntity, (run: ScanRunEntity) => run.id, {
    name: 'scan_results_run_fk',
    onDelete: 'CASCADE',
  })
  scanRunId!: string;

  @PrimaryColumn({ type: 'integer' })
  rank!: number;

  @Column({ type: 'varchar', length: 10 })
  symbol!: string;

  @Column({ name: 'tech_rating', type: 'double precision' })
  techRating!: number;

  @Column({ type: 'varchar', length: 16 })
  signal!: string;

  /** The full ScanHit as served (indicators, subscores, plan, rationale). */
  @Column({ type: 'jsonb' })
  hit!: ScanHit;
}
