import { createHash } from 'node:crypto';
import type { NormalizedScanRequest } from '#jobs';
import { GICS_SECTORS, resolveSector } from '#market-data';
import { parseDate, PROFILES, SCAN_DEFAULTS } from '#scan-engine';
import { ProblemException, type FieldError } from '../http/problem.js';
import type { CreateScanDto } from './scans.dto.js';

/**
 * A date the engine (and so the worker) accepts: a real day in the years 1..9999. `new Date()` also
 * takes year 0, which the worker then refused on every attempt (found by the fuzz suite).
 */
export function isCalendarDate(text: string): boolean {
  try {
    parseDate(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fills defaults and canonicalizes a scan request so that requests meaning the same thing are
 * equal: sectors resolved from aliases, symbols upper-cased, lists sorted and deduplicated, the
 * profile's default rating and the direction made explicit. Symbol existence and the trading day
 * of `asOf` are the service's (database): until it resolves them, `asOf` is the requested date.
 */
export function normalizeScanRequest(dto: CreateScanDto): NormalizedScanRequest {
  const errors: FieldError[] = [];
  let sectors: string[] | null = null;
  if (dto.sectors) {
    const unknown = dto.sectors.filter((s) => resolveSector(s) === null);
    if (unknown.length > 0) {
      errors.push({
        field: 'sectors',
        message: `unknown sector(s) ${unknown.map((s) => `"${s}"`).join(', ')}; valid sectors: ${GICS_SECTORS.join(', ')}`,
      });
    } else sectors = [...new Set(dto.sectors.map((s) => resolveSector(s)!))].sort();
  }
  let symbols: string[] | null = null;
  if (dto.symbols) {
    symbols = [...new Set(dto.symbols.map((s) => s.trim().toUpperCase()))].sort();
    const bad = symbols.filter((s) => !/^[A-Z][A-Z0-9.-]{0,9}$/.test(s));
    if (bad.length > 0)
      errors.push({ field: 'symbols', message: `not a symbol: ${bad.join(', ')}` });
  }
  if (dto.asOf !== undefined && !isCalendarDate(dto.asOf))
    errors.push({ field: 'asOf', message: `${dto.asOf} is not a calendar date` });
  if (errors.length > 0)
    throw new ProblemException(
      400,
      `Invalid scan request: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    );

  const profile = dto.profile ?? SCAN_DEFAULTS.profile;
  return {
    sectors,
    symbols,
    maxSymbols: dto.maxSymbols ?? SCAN_DEFAULTS.maxSymbols,
    minTechRating: dto.minTechRating ?? PROFILES[profile].minTechRating,
    profile,
    direction: dto.direction ?? SCAN_DEFAULTS.direction,
    asOf: dto.asOf ?? null,
    asOfRequested: dto.asOf ?? null,
    accountSize: dto.accountSize ?? SCAN_DEFAULTS.accountSize,
    riskPct: dto.riskPct ?? SCAN_DEFAULTS.riskPct,
    targetRR: dto.targetRR ?? SCAN_DEFAULTS.targetRR,
  };
}

/** sha256 of the normalized request with keys in a fixed order. */
export function requestHash(request: NormalizedScanRequest): string {
  const ordered = Object.fromEntries(
    Object.entries(request).sort(([a], [b]) => a.localeCompare(b)),
  );
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}
