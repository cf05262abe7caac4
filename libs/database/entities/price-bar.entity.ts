import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { ItemEntity } from './item.entity.js';

/**
 * One daily OHLCV bar. Prices in USD as float8: the engine computes in doubles anyway, and the
 * source has at most four decimals, so nothing is lost.
 */
@Entity({ name: 'price_bars' })
export class PriceBarEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  @ForeignKey(() => ItemEntity, (item: ItemEntity) => item.symbol, {
    name: 'price_bars_symbol_fk',
    onDelete: 'CASCADE',
  })
  symbol!: string;

  /** Trading day, `YYYY-MM-DD` (exchange calendar, no time zone). */
  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Column({ type: 'double precision' })
  open!: number;

  @Column({ type: 'double precision' })
  high!: number;

  @Column({ type: 'double precision' })
  low!: number;

  @Column({ type: 'double precision' })
  close!: number;

  /** Shares traded; bigint comes back from pg as a string, so it is read with a cast where summed. */
  @Column({ type: 'bigint' })
  volume!: string;
}
