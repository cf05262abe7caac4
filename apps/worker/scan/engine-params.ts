import type { NormalizedScanRequest } from '#jobs';
import { parseDate, type ScanParams } from '#scan-engine';

/**
 * The engine's parameters of a normalized scan request: one mapping for the scan jobs and the
 * watch evaluation, so a watch scans exactly what the same POST /v1/scans would.
 * @throws Error when the request names a date that does not exist.
 */
export function engineParams(request: NormalizedScanRequest): ScanParams {
  return {
    profile: request.profile,
    direction: request.direction,
    minTechRating: request.minTechRating,
    maxSymbols: request.maxSymbols,
    asOf: request.asOf ? parseDate(request.asOf) : undefined,
    accountSize: request.accountSize,
    riskPct: request.riskPct,
    targetRR: request.targetRR,
  };
}
