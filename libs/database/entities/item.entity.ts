import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An instrument the scanner covers. Deactivated items stay for history; scans skip them. */
@Entity({ name: 'items' })
@Index('items_sector_symbol_idx', ['sector', 'symbol'])
export class ItemEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  symbol!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  /** GICS sector name as published (e.g. "Information Technology"). */
  @Column({ type: 'varchar', length: 64 })
  sector!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  industry!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** `YYYY-MM-DD`; kept in step with price_bars by the importers. */
  @Column({ name: 'first_bar_date', type: 'date', nullable: true })
  firstBarDate!: string | null;

  @Column({ name: 'last_bar_date', type: 'date', nullable: true })
  lastBarDate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
