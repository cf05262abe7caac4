import { Injectable } from '@nestjs/common';
import { toScanHit, type ScanHit } from '#jobs';
import { analyzeSymbol, MIN_HISTORY, PROFILES, SCAN_DEFAULTS } from '#scan-engine';
import { ProblemException } from '../http/problem.js';
import { ItemsService } from '../items/items.service.js';
import { isCalendarDate } from '../scans/scan-request.normalizer.js';
import { AnalysisRepository } from './analysis.repository.js';
import type { AnalysisQuery } from './analysis.dto.js';

/** One symbol's ScanHit computed on request, with the same engine the scans use. */
@Injectable()
export class AnalysisService {
  constructor(
    private readonly items: ItemsService,
    private readonly bars: AnalysisRepository,
  ) {}

  async analyze(symbol: string, query: AnalysisQuery): Promise<ScanHit> {
    // The DTO checks the shape only; 2016-02-30 reached PostgreSQL as a 500 (found by the fuzz suite).
    if (query.asOf !== undefined && !isCalendarDate(query.asOf)) {
      const message = `${query.asOf} is not a calendar date`;
      throw new ProblemException(400, `Invalid request: asOf: ${message}`, [
        { field: 'asOf', message },
      ]);
    }
    const item = await this.items.get(symbol);
    const profile = query.profile ?? SCAN_DEFAULTS.profile;
    const store = await this.bars.barsUpTo(item.symbol, query.asOf ?? null);
    const analysis =
      store.symbols.length === 0
        ? null
        : analyzeSymbol(store, 0, {
            profile,
            minTechRating: PROFILES[profile].minTechRating,
            maxSymbols: 1,
            accountSize: SCAN_DEFAULTS.accountSize,
            riskPct: SCAN_DEFAULTS.riskPct,
            targetRR: SCAN_DEFAULTS.targetRR,
          });
    if (!analysis) {
      const bars = store.dates.length;
      throw new ProblemException(
        422,
        `${item.symbol} has ${bars} daily bars${query.asOf ? ` up to ${query.asOf}` : ''}; the analysis needs at least ${MIN_HISTORY}`,
      );
    }
    return toScanHit({ ...analysis, rank: 1 }, { name: item.name, sector: item.sector });
  }
}
