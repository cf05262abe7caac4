import type { Analysis, RankedHit } from '#scan-engine';
import { formatDate } from '#scan-engine';

/** One ranked result as the API serves it (DESIGN §3 ScanHit). */
export interface ScanHit {
  rank: number;
  symbol: string;
  name: string;
  sector: string;
  signal: Analysis['signal'];
  techRating: number;
  subscores: Analysis['subscores'];
  indicators: Analysis['indicators'];
  /** On the signal's side (long for Long/Strong Long, short for Short/Strong Short); null for Avoid. */
  plan: Analysis['plan'];
  rationale: string;
  /** `YYYY-MM-DD` of the last bar the analysis used. */
  asOf: string;
  /** Only on the hits of a relaxed scan: the filters each did not meet. */
  failedFilters?: Analysis['failedFilters'];
}

export interface InstrumentInfo {
  name: string;
  sector: string;
}

/** Adds what the engine does not know (name, sector) to its analysis. */
export function toScanHit(hit: Analysis & { rank?: number }, info: InstrumentInfo): ScanHit {
  return {
    rank: (hit as RankedHit).rank ?? 1,
    symbol: hit.symbol,
    name: info.name,
    sector: info.sector,
    signal: hit.signal,
    techRating: hit.techRating,
    subscores: hit.subscores,
    indicators: hit.indicators,
    plan: hit.plan,
    rationale: hit.rationale,
    asOf: formatDate(hit.asOf),
    ...(hit.failedFilters ? { failedFilters: hit.failedFilters } : {}),
  };
}
