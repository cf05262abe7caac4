import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DataVersions } from '#database';
import { formatDate, parseDate, resolveAsOf } from '#scan-engine';
import { ProblemException } from '../http/problem.js';

/** What `asOf` came to: the trading day used, beside the date as requested. */
export interface ResolvedAsOf {
  /** `YYYY-MM-DD`: the last trading day on or before the requested date. */
  asOf: string;
  asOfRequested: string;
}

/**
 * The trading days of the price data, held per data version: scans and analyses resolve a
 * requested `asOf` against them (a Saturday means the Friday) and refuse a date outside the data
 * with 422. The days are loaded once per version (one pass over price_bars, ~1,260 dates for five
 * years), since finding "the last bar on or before D" per request has no index to use.
 */
@Injectable()
export class TradingCalendar {
  private held: { version: number; days: Promise<Int32Array> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly versions: DataVersions,
  ) {}

  /**
   * Resolves `requested` (a calendar date, `YYYY-MM-DD`, already validated) at `version` (the
   * current one when omitted).
   * @throws ProblemException 422 naming the data's range when the date is outside it.
   */
  async resolve(requested: string, version?: number): Promise<ResolvedAsOf> {
    const days = await this.daysAt(version ?? (await this.versions.recent()));
    const resolution = resolveAsOf(days, parseDate(requested));
    if (resolution.kind === 'tradingDay')
      return { asOf: formatDate(resolution.date), asOfRequested: requested };
    const message =
      days.length === 0
        ? `asOf ${requested}: there is no price data yet`
        : `asOf ${requested} is outside the data, which runs from ${formatDate(resolution.first)} to ${formatDate(resolution.last)}`;
    throw new ProblemException(422, message, [{ field: 'asOf', message }]);
  }

  private daysAt(version: number): Promise<Int32Array> {
    if (this.held?.version !== version) {
      const days = this.load();
      // A failed load is not kept: the next request tries again.
      days.catch(() => {
        if (this.held?.days === days) this.held = null;
      });
      this.held = { version, days };
    }
    return this.held.days;
  }

  private async load(): Promise<Int32Array> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT to_char(date, 'YYYYMMDD')::int AS d FROM price_bars ORDER BY d`,
    )) as { d: number }[];
    return Int32Array.from(rows, (r) => r.d);
  }
}
