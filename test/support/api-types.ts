/**
 * The response types specs expect, in one place: the app's own DTOs where it has them (so a change
 * of contract breaks the build of the specs, not only their run), small local interfaces where it
 * has none (WebSocket frames, the OpenAPI document).
 */
export type { ItemDto as Item, ItemPageDto as ItemPage } from '../../apps/api/items/items.dto.js';
export type { ScanDto as Scan, ScanHitDto as ScanHit } from '../../apps/api/scans/scans.dto.js';
export type {
  ModelInfoDto as ModelInfo,
  PredictionBatchDto as PredictionBatch,
  PredictionDto as Prediction,
} from '../../apps/api/predict/predict.dto.js';
export type { ProblemBody as Problem } from '../../apps/api/http/problem.js';
export type { BarsDto as Bars } from '../../apps/api/bars/bars.dto.js';
export type { MetaDto as Meta } from '../../apps/api/meta/meta.dto.js';
export type {
  ScanSummaryDto as ScanSummary,
  ScanSummaryPageDto as ScanSummaryPage,
} from '../../apps/api/scan-history/scan-history.dto.js';
export type { HealthDto as Health } from '#observability';

import type { ScanDto, ScanHitDto } from '../../apps/api/scans/scans.dto.js';

/** GET /v1/items/{symbol}/analysis: one ScanHit (without rank) computed on request. */
export type { AnalysisDto as Analysis } from '../../apps/api/analysis/analysis.dto.js';

/** Server → client frames of DESIGN §4. */
export type ServerFrame =
  | { type: 'accepted'; scan: ScanDto; id?: string }
  | {
      type: 'progress';
      scanId: string;
      stage: string;
      percent: number;
      symbolsScanned: number;
      universeSize: number;
      etaSeconds: number | null;
      partial: ScanHitDto[];
    }
  | { type: 'completed'; scan: ScanDto; id?: string }
  | { type: 'failed'; scanId: string; error: string; id?: string }
  | { type: 'error'; message: string; id?: string };

export type FrameOf<K extends ServerFrame['type']> = Extract<ServerFrame, { type: K }>;

/** The parts of the OpenAPI document (/docs-json) specs read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: {
    securitySchemes: Record<
      string,
      { type: string; in?: string; name?: string; description?: string }
    >;
  };
}
