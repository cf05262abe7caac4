import { HttpException } from '@nestjs/common';
import type { NormalizedScanRequest } from '#jobs';
import { ProblemException, type ProblemBody } from '../http/problem.js';
import { checkWatchlist } from '../scans/scan-filters.js';
import { normalizeScanRequest, requestHash } from '../scans/scan-request.normalizer.js';
import type { CreateScanDto } from '../scans/scans.dto.js';

/**
 * A watch's scan request, normalized exactly as POST /v1/scans normalizes it, so its hash is the
 * one the scan cache key uses and equal requests share one evaluation. `asOf` is refused: a watch
 * follows the newest data, and a pinned date would never change.
 */
export async function normalizeWatchRequest(
  dto: CreateScanDto,
  activeSectors: (symbols: string[]) => Promise<ReadonlyMap<string, string>>,
): Promise<{ request: NormalizedScanRequest; hash: string }> {
  if (dto.asOf !== undefined)
    throw new ProblemException(
      400,
      'A watch follows the newest data: request.asOf is not allowed',
      [{ field: 'request.asOf', message: 'request.asOf is not allowed in a watch' }],
    );
  try {
    const request = normalizeScanRequest(dto);
    if (request.symbols) checkWatchlist(dto, request, await activeSectors(request.symbols));
    return { request, hash: requestHash(request) };
  } catch (error) {
    throw nested(error);
  }
}

/** The scan's validation problem with its fields named inside the watch (`request.sectors[1]`). */
function nested(error: unknown): unknown {
  if (!(error instanceof HttpException)) return error;
  const body = error.getResponse() as ProblemBody;
  if (!body.errors) return error;
  return new ProblemException(
    error.getStatus(),
    body.detail,
    body.errors.map((e) => ({
      field: `request.${e.field}`,
      message: e.message.startsWith(e.field) ? `request.${e.message}` : e.message,
    })),
  );
}
