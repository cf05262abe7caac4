import type { NormalizedScanRequest } from '#jobs';
import { ProblemException, type FieldError } from '../http/problem.js';
import type { CreateScanDto } from './scans.dto.js';

/** At most this many symbols are quoted in a hint; the rest are counted. */
const QUOTED = 5;

const quote = (list: string[]): string =>
  list.length <= QUOTED
    ? list.join(', ')
    : `${list.slice(0, QUOTED).join(', ')} and ${list.length - QUOTED} more`;

/**
 * Checks a watchlist against the database's active items (`sectorOf`: symbol → GICS sector):
 * unknown or inactive symbols are named by their index in the request, and a watchlist none of
 * whose symbols is in the requested sectors is refused with a hint, instead of a scan of nothing.
 */
export function checkWatchlist(
  dto: Pick<CreateScanDto, 'symbols'>,
  request: Pick<NormalizedScanRequest, 'sectors' | 'symbols'>,
  sectorOf: ReadonlyMap<string, string>,
): void {
  if (!request.symbols || !dto.symbols) return;
  const errors: FieldError[] = [];
  dto.symbols.forEach((s, i) => {
    const symbol = s.trim().toUpperCase();
    if (!sectorOf.has(symbol))
      errors.push({
        field: `symbols[${i}]`,
        message: `symbols[${i}] ${symbol} is unknown or inactive`,
      });
  });
  if (errors.length > 0)
    throw new ProblemException(
      400,
      `Invalid scan request: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    );
  const sectors = request.sectors;
  if (!sectors || request.symbols.some((s) => sectors.includes(sectorOf.get(s)!))) return;
  const theirs = [...new Set(request.symbols.map((s) => sectorOf.get(s)!))].sort();
  const message =
    `none of the symbols (${quote(request.symbols)}) is in the sectors ${sectors.join(', ')}: ` +
    `they are in ${theirs.join(', ')}. The scan covers the symbols of the given sectors only; ` +
    'drop one of the two filters or make them overlap';
  throw new ProblemException(400, `Invalid scan request: ${message}`, [
    { field: 'symbols', message },
  ]);
}
