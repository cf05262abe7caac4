import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/api-key.service.js';
import { ProblemException } from '../http/problem.js';
import { presentRequest } from '../scans/scan.presenter.js';
import type { ListScansQuery, ScanSummaryDto, ScanSummaryPageDto } from './scan-history.dto.js';
import {
  ScanHistoryRepository,
  type ScanCursor,
  type ScanSummaryRow,
} from './scan-history.repository.js';

const DEFAULT_PAGE_SIZE = 20;
const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor is opaque to clients: base64url of the last run's creation time (µs) and id. */
export const encodeScanCursor = (c: ScanCursor): string =>
  Buffer.from(`${c.createdAt}|${c.id}`, 'utf8').toString('base64url');

/** The position a cursor names; 400 for anything this API did not hand out. */
export function decodeScanCursor(cursor: string): ScanCursor {
  const [createdAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url')
    .toString('utf8')
    .split('|');
  const valid =
    rest.length === 0 &&
    POSITION.test(createdAt) &&
    UUID.test(id) &&
    encodeScanCursor({ createdAt, id }) === cursor;
  if (!valid)
    throw new ProblemException(400, 'cursor is not one this API returned', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  return { createdAt, id };
}

/** A run as a history entry: the request and what came of it, never its hits. */
export function toScanSummary(row: ScanSummaryRow): ScanSummaryDto {
  const s = row.summary;
  const dto: ScanSummaryDto = {
    id: row.id,
    status: row.status,
    request: presentRequest(row.request),
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
    result:
      row.status === 'completed' && s
        ? {
            statusText: s.statusText,
            relaxed: s.relaxed,
            universeSize: s.universeSize,
            symbolsScanned: s.symbolsScanned,
            hits: row.hits,
            dataVersion: s.dataVersion,
            asOf: s.asOf,
          }
        : null,
  };
  if (row.status === 'failed') dto.error = row.error ?? 'scan failed';
  return dto;
}

@Injectable()
export class ScanHistoryService {
  constructor(private readonly history: ScanHistoryRepository) {}

  /** The key's scans, newest first, in keyset pages. */
  async list(query: ListScansQuery, principal: Principal): Promise<ScanSummaryPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor === undefined ? null : decodeScanCursor(query.cursor);
    const { rows, hasMore } = await this.history.page(
      principal.keyId,
      query.status ?? null,
      after,
      limit,
    );
    const last = rows[rows.length - 1];
    return {
      data: rows.map(toScanSummary),
      nextCursor:
        hasMore && last ? encodeScanCursor({ createdAt: last.position, id: last.id }) : null,
    };
  }
}
