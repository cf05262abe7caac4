import type { NormalizedScanRequest } from '#jobs';
import type { InstrumentRow } from './bar-cache.loader.js';

/**
 * Indexes (into the bar store) of the instruments a request covers: active ones, restricted to the
 * requested sectors and symbols. The api validated names against the database already; a symbol
 * that disappeared since is simply not scanned.
 */
export function selectUniverse(
  request: NormalizedScanRequest,
  instruments: readonly InstrumentRow[],
  indexOf: Map<string, number>,
): number[] {
  const sectors = request.sectors ? new Set(request.sectors) : null;
  const candidates = request.symbols
    ? request.symbols.map((s) => indexOf.get(s)).filter((i): i is number => i !== undefined)
    : instruments.map((_, i) => i);
  return candidates.filter((i) => {
    const item = instruments[i]!;
    return item.active && (!sectors || sectors.has(item.sector));
  });
}
