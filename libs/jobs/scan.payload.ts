import { UnrecoverableError } from 'bullmq';
import { isDirection, isProfile, type Direction, type Profile } from '#scan-engine';
import type { ScanHit } from './scan-hit.js';
import type { ScanSummary } from './scan-summary.js';

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
  /** `long` (strongest first), `short` (weakest first) or `both` (farthest from neutral first). */
  direction: Direction;
  /**
   * `YYYY-MM-DD`: the trading day the scan uses, the last one on or before `asOfRequested`; null
   * for the latest bar.
   */
  asOf: string | null;
  /** The date as the client sent it (a weekend, say), or null when it sent none. */
  asOfRequested: string | null;
  accountSize: number;
  riskPct: number;
  targetRR: number;
}

/**
 * Version 2 of the run-scan job (v1 lacked `direction` and `asOfRequested`). A new field means a
 * new version, so old workers reject it loudly.
 */
export interface ScanJobPayloadV2 {
  v: 2;
  /** The X-Request-Id of the HTTP request that caused the job, so worker logs join api logs. */
  requestId: string;
  scanRunId: string;
  dataVersion: number;
  request: NormalizedScanRequest;
}

const isStringArrayOrNull = (v: unknown) =>
  v === null || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDateOrNull = (v: unknown) => v === null || (typeof v === 'string' && DATE.test(v));

/**
 * Validates a job's data; a payload that can never succeed fails with UnrecoverableError (no
 * retries). A v1 job (queued by an api of the previous release during a rolling deploy) is read as
 * a long scan of the date it named.
 */
export function parseScanPayload(data: unknown): ScanJobPayloadV2 {
  let p = data as Partial<ScanJobPayloadV2> | null;
  if ((p as { v?: unknown } | null)?.v === 1 && p?.request && typeof p.request === 'object') {
    const v1 = p.request as Partial<NormalizedScanRequest>;
    p = {
      ...p,
      v: 2,
      request: {
        direction: 'long',
        asOfRequested: v1.asOf ?? null,
        ...v1,
      } as NormalizedScanRequest,
    };
  }
  const r = p?.request as Partial<NormalizedScanRequest> | undefined;
  const problems: string[] = [];
  if (p?.v !== 2) problems.push(`unsupported payload version ${String(p?.v)}`);
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
    if (!isDirection(r.direction)) problems.push('request.direction');
    if (!isDateOrNull(r.asOf)) problems.push('request.asOf');
    if (!isDateOrNull(r.asOfRequested)) problems.push('request.asOfRequested');
    for (const field of ['accountSize', 'riskPct', 'targetRR'] as const)
      if (!isNumber(r[field])) problems.push(`request.${field}`);
  }
  if (problems.length > 0)
    throw new UnrecoverableError(`invalid scan job payload: ${problems.join(', ')}`);
  return p as ScanJobPayloadV2;
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

/**
 * A completed scan's result as its job returns it, so the api answers `?wait=` and the WebSocket's
 * `completed` frame from the completion event instead of reading the run and its hits back from
 * PostgreSQL. Only written after ScanResultsWriter stored the same result (the fence held), so it
 * is what PostgreSQL holds. Carried for at most CARRIED_HITS_MAX hits: the return value stays in
 * the job (kept 1 h) and in the event stream, like the last progress frame's PARTIAL_HITS; a
 * larger result is read back.
 */
export interface CarriedScanResult {
  /** ISO time of `scan_runs.completed_at` as the writer stored it. */
  completedAt: string;
  summary: ScanSummary;
  hits: ScanHit[];
}

export const CARRIED_HITS_MAX = 50;

/** The job's return value: the run, its trace (tracing on) and, when small, its result. */
export interface ScanJobResult {
  scanRunId: string;
  traceparent?: string;
  result?: CarriedScanResult;
}

/** The carried result of a job's return value, or undefined for anything else (an older worker's). */
export function carriedResultOf(returnvalue: unknown): CarriedScanResult | undefined {
  const result = (returnvalue as { result?: Partial<CarriedScanResult> } | null)?.result;
  if (
    !result ||
    typeof result.completedAt !== 'string' ||
    Number.isNaN(Date.parse(result.completedAt)) ||
    !result.summary ||
    typeof result.summary !== 'object' ||
    !Array.isArray(result.hits)
  )
    return undefined;
  return result as CarriedScanResult;
}
