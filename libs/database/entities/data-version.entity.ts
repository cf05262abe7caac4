import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row per change of the price data (import, live update, synthetic universe). The newest id is
 * the current data version: cached scans carry it, so bumping it retires them.
 */
@Entity({ name: 'data_versions' })
export class DataVersionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `embedded`, `polygon` or `synthetic`. */
  @Column({ type: 'varchar', length: 32 })
  source!: string;

  /** sha256 of the input that produced this version; an identical re-import is recognised by it. */
  @Column({ type: 'varchar', length: 64 })
  checksum!: string;

  @Column({ type: 'integer' })
  symbols!: number;

  @Column({ type: 'integer' })
  bars!: number;

  /** What the import repaired and skipped, for operators. */
  @Column({ type: 'jsonb' })
  report!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
