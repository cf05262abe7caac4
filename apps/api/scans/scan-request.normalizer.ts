import { createHash } from 'node:crypto';
import type { NormalizedScanRequest } from '#jobs';
import { GICS_SECTORS, resolveSector } from '#market-data';
import { parseDate, PROFILES, SCAN_DEFAULTS } from '#scan-engine';
import { ProblemException, type FieldError } from '../http/problem.js';
import type { CreateScanDto } from './scans.dto.js';

const SYMBOL = /^[A-Z][A-Z0-9.-]{0,9}$/;

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
  // Errors name the item as the client sent it (`sectors[1]`), before aliases and deduplication.
  if (dto.sectors) {
    const valid = `valid sectors: ${GICS_SECTORS.join(', ')}`;
    dto.sectors.forEach((s, i) => {
      if (resolveSector(s) === null) {
        const field = `sectors[${i}]`;
        errors.push({ field, message: `${field} "${s}" is not a sector (${valid})` });
      }
    });
    if (errors.length === 0)
      sectors = [...new Set(dto.sectors.map((s) => resolveSector(s)!))].sort();
  }
  let symbols: string[] | null = null;
  if (dto.symbols) {
    dto.symbols.forEach((s, i) => {
      const field = `symbols[${i}]`;
      if (!SYMBOL.test(s.trim().toUpperCase()))
        errors.push({ field, message: `${field} "${s}" is not a symbol` });
    });
    symbols = [...new Set(dto.symbols.map((s) => s.trim().toUpperCase()))].sort();
  }
  if (dto.asOf !== undefined && !isCalendarDate(dto.asOf))
    errors.push({ field: 'asOf', message: `asOf ${dto.asOf} is not a calendar date` });
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
