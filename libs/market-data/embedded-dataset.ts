import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { RawBar } from './bar-cleaner.js';

/** Files of the embedded data set under `data/` (origins and licenses in the README). */
export const EMBEDDED_FILES = {
  prices: 'prices/all_stocks_5yr.csv.gz',
  universe: 'universe/universe_sp500_2018_ohlcv.csv',
  /** Today's constituents: used only for the GICS sub-industry of symbols still in the index. */
  industries: 'universe/constituents_2026-08-08_latest.csv',
} as const;

export interface UniverseEntry {
  symbol: string;
  name: string;
  sector: string;
  industry: string | null;
  description: string;
}

/** sha256 over every embedded file, so a changed file means a new data version. */
export function embeddedChecksum(dataDir: string): string {
  const hash = createHash('sha256');
  for (const file of Object.values(EMBEDDED_FILES)) hash.update(readFileSync(join(dataDir, file)));
  return hash.digest('hex');
}

export function readUniverse(dataDir: string): UniverseEntry[] {
  const rows = parse(readFileSync(join(dataDir, EMBEDDED_FILES.universe)), {
    columns: true,
  }) as Record<string, string>[];
  const latest = parse(readFileSync(join(dataDir, EMBEDDED_FILES.industries)), {
    columns: true,
  }) as Record<string, string>[];
  const industryOf = new Map(latest.map((r) => [r['Symbol']!, r['GICS Sub-Industry'] || null]));
  return rows.map((r) => {
    const symbol = r['Symbol']!;
    const sector = r['Sector']!;
    const industry = industryOf.get(symbol) ?? null;
    return {
      symbol,
      name: r['Name']!,
      sector,
      industry,
      description: `${r['Name']} (${symbol}): S&P 500 constituent (2018), GICS sector ${sector}${industry ? `, ${industry}` : ''}.`,
    };
  });
}

const price = (cell: string): number | null => (cell === '' ? null : Number(cell));

/**
 * Streams the combined OHLCV file (grouped by symbol, each in date order) and hands each symbol's
 * bars to `onSymbol`. `onProgress` receives the fraction of the compressed file read.
 */
export async function readEmbeddedBars(
  dataDir: string,
  onSymbol: (symbol: string, bars: RawBar[]) => void,
  onProgress: (fraction: number) => void = () => {},
): Promise<number> {
  const path = join(dataDir, EMBEDDED_FILES.prices);
  const total = statSync(path).size;
  const input = createReadStream(path);
  let read = 0;
  input.on('data', (chunk) => {
    read += chunk.length;
    onProgress(read / total);
  });
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity });
  let header = true;
  let current: RawBar[] = [];
  let rows = 0;
  for await (const line of lines) {
    if (header) {
      if (line !== 'date,open,high,low,close,volume,Name')
        throw new Error(`unexpected header in ${path}: ${line}`);
      header = false;
      continue;
    }
    if (line === '') continue;
    const [date, open, high, low, close, volume, symbol] = line.split(',');
    if (!date || !symbol || close === undefined || volume === undefined)
      throw new Error(`malformed row in ${path}: ${line}`);
    if (current.length > 0 && current[0]!.symbol !== symbol) {
      onSymbol(current[0]!.symbol, current);
      current = [];
    }
    current.push({
      symbol,
      date,
      open: price(open!),
      high: price(high!),
      low: price(low!),
      close: Number(close),
      volume: Number(volume),
    });
    rows++;
  }
  if (current.length > 0) onSymbol(current[0]!.symbol, current);
  return rows;
}
