/**
 * The two data sets of the scan bench, as engine stores: the 505 real S&P 500 series of the
 * embedded data (cleaned exactly as the importer cleans them) and the synthetic universe that
 * `data synth --symbols 10000 --bars 1260 --seed 1` writes to PostgreSQL, generated here in memory
 * from the same library function, so the in-process and end-to-end 10,000-symbol figures are over
 * bit-identical bars.
 */
import { cleanSymbolBars, generateSeries, readEmbeddedBars, tradingDays } from '#market-data';
import { BarStoreBuilder, parseDate, type BarStore } from '#scan-engine';

export interface DataSet {
  /** Short label for tables and the chart. */
  label: string;
  store: BarStore;
  bars: number;
}

/** The embedded data set, cleaned by the importer's rules (the worker scans the same bars). */
export async function loadRealStore(dataDir: string): Promise<DataSet> {
  const builder = new BarStoreBuilder(620_000);
  await readEmbeddedBars(dataDir, (symbol, rows) => {
    for (const b of cleanSymbolBars(rows).bars)
      builder.append(symbol, parseDate(b.date), b.open, b.high, b.low, b.close, b.volume);
  });
  const store = builder.build();
  return { label: `${store.symbols.length} real`, store, bars: store.dates.length };
}

/** `data synth --symbols n --bars bars --seed seed`, in memory: symbols SYN00001…, dates ending 2018-02-07. */
export function syntheticStore(symbols: number, bars: number, seed: number): DataSet {
  const dates = tradingDays(bars).map(parseDate);
  const builder = new BarStoreBuilder(symbols * bars);
  for (let n = 1; n <= symbols; n++) {
    const s = generateSeries(seed, n, bars);
    for (let k = 0; k < bars; k++)
      builder.append(
        s.symbol,
        dates[k]!,
        s.open[k]!,
        s.high[k]!,
        s.low[k]!,
        s.close[k]!,
        s.volume[k]!,
      );
  }
  const store = builder.build();
  return { label: `${symbols.toLocaleString('en-US')} synthetic`, store, bars: store.dates.length };
}
