import { UnrecoverableError } from 'bullmq';
import { isProfile, type Profile } from '#scan-engine';
import type { ScanHit } from './scan-hit.js';

/** The engine's profile names, under the name the job contract has always used. */
export type ScanProfile = Profile;

/**
 * A scan request after normalization: defaults filled in, sectors canonical and sorted, symbols
 * upper-case and sorted. Two requests that mean the same thing are equal, field for field.
 */
export interface NormalizedScanRequest {
  sectors: string[] | null;
  symbols: string[] | null;
  maxSymbols: number;
  minTechRating: number;
  profile: ScanProfile;
  /** `YYYY-MM-DD`, or null for the latest bar. */
  asOf: string | null;
  accountSize: number;
  riskPct: number;
  targetRR: number;
}

/** Version 1 of the run-scan job. A new field means a new version, so old workers reject it loudly. */
export interface ScanJobPayloadV1 {
  v: 1;
  /** The X-Request-Id of the HTTP request that caused the job, so worker logs join api logs. */
  requestId: string;
  scanRunId: string;
  dataVersion: number;
  request: NormalizedScanRequest;
}

const isStringArrayOrNull = (v: unknown) =>
  v === null || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates a job's data; a payload that can never succeed fails with UnrecoverableError (no retries). */
export function parseScanPayload(data: unknown): ScanJobPayloadV1 {
  const p = data as Partial<ScanJobPayloadV1> | null;
  const r = p?.request as Partial<NormalizedScanRequest> | undefined;
  const problems: string[] = [];
  if (p?.v !== 1) problems.push(`unsupported payload version ${String(p?.v)}`);
  if (typeof p?.scanRunId !== 'string' || !/^[0-9a-f-]{36}$/.test(p.scanRunId))
    problems.push('scanRunId');
  if (typeof p?.requestId !== 'string') problems.push('requestId');
  if (!Number.isInteger(p?.dataVersion)) problems.push('dataVersion');
  if (!r || typeof r !== 'object') problems.push('request');
  else {
    if (!isStringArrayOrNull(r.sectors)) problems.push('request.sectors');
    if (!isStringArrayOrNull(r.symbols)) problems.push('request.symbols');
    if (!Number.isInteger(r.maxSymbols) || r.maxSymbols! < 1 || r.maxSymbols! > 500)
      problems.push('request.maxSymbols');
    if (!isNumber(r.minTechRating)) problems.push('request.minTechRating');
    if (!isProfile(r.profile)) problems.push('request.profile');
    if (r.asOf !== null && (typeof r.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.asOf)))
      problems.push('request.asOf');
    for (const field of ['accountSize', 'riskPct', 'targetRR'] as const)
      if (!isNumber(r[field])) problems.push(`request.${field}`);
  }
  if (problems.length > 0)
    throw new UnrecoverableError(`invalid scan job payload: ${problems.join(', ')}`);
  return p as ScanJobPayloadV1;
}

/** What the worker reports through job.updateProgress; the api relays it to WebSocket clients. */
export interface ScanProgress {
  stage: 'loading' | 'fetching' | 'scanning' | 'finalizing';
  percent: number;
  symbolsScanned: number;
  universeSize: number;
  etaSeconds: number | null;
  /** Current top hits, at most maxSymbols (the worker sends fewer: PARTIAL_HITS). */
  partial: ScanHit[];
}
