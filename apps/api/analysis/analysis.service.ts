import { Injectable } from '@nestjs/common';
import { toScanHit } from '#jobs';
import { analyzeSymbol, MIN_HISTORY, PROFILES, SCAN_DEFAULTS } from '#scan-engine';
import { ProblemException } from '../http/problem.js';
import { ItemsService } from '../items/items.service.js';
import { TradingCalendar } from '../calendar/trading-calendar.service.js';
import { isCalendarDate } from '../scans/scan-request.normalizer.js';
import { AnalysisRepository } from './analysis.repository.js';
import type { AnalysisDto, AnalysisQuery } from './analysis.dto.js';

/** One symbol's analysis computed on request, with the same engine and terms the scans use. */
@Injectable()
export class AnalysisService {
  constructor(
    private readonly items: ItemsService,
    private readonly bars: AnalysisRepository,
    private readonly calendar: TradingCalendar,
  ) {}

  async analyze(symbol: string, query: AnalysisQuery): Promise<AnalysisDto> {
    // The DTO checks the shape only; 2016-02-30 reached PostgreSQL as a 500 (found by the fuzz suite).
    if (query.asOf !== undefined && !isCalendarDate(query.asOf)) {
      const message = `${query.asOf} is not a calendar date`;
      throw new ProblemException(400, `Invalid request: asOf: ${message}`, [
        { field: 'asOf', message },
      ]);
    }
    const item = await this.items.get(symbol);
    const asOf = query.asOf === undefined ? null : (await this.calendar.resolve(query.asOf)).asOf;
    const profile = query.profile ?? SCAN_DEFAULTS.profile;
    const store = await this.bars.barsUpTo(item.symbol, asOf);
    const analysis =
      store.symbols.length === 0
        ? null
        : analyzeSymbol(store, 0, {
            profile,
            direction: query.direction ?? SCAN_DEFAULTS.direction,
            minTechRating: PROFILES[profile].minTechRating,
            maxSymbols: 1,
            accountSize: query.accountSize ?? SCAN_DEFAULTS.accountSize,
            riskPct: query.riskPct ?? SCAN_DEFAULTS.riskPct,
            targetRR: query.targetRR ?? SCAN_DEFAULTS.targetRR,
          });
    if (!analysis) {
      const bars = store.dates.length;
      throw new ProblemException(
        422,
        `${item.symbol} has ${bars} daily bars${asOf ? ` up to ${asOf}` : ''}; the analysis needs at least ${MIN_HISTORY}`,
      );
    }
    // An analysis has no place in a ranking: the hit without its rank.
    const { rank: _rank, ...hit } = toScanHit(analysis, { name: item.name, sector: item.sector });
    return {
      ...hit,
      failedFilters: analysis.failedFilters ?? [],
      asOfRequested: query.asOf ?? null,
    };
  }
}
