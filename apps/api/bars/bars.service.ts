import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataVersions } from '#database';
import { parseDate } from '#scan-engine';
import { ProblemException } from '../http/problem.js';
import { SYMBOL_PATTERN } from '../items/items.schema.js';
import { MAX_BARS, type BarsQueryDto } from './bars.dto.js';
import { BarsRepository, type BarsQuery } from './bars.repository.js';

/**
 * Bodies kept per ETag, up to this many characters (≈ bytes: the JSON is ASCII) per api process: a
 * five-year daily body is ~75 KB, so ~400 charts. A tag names the data version, so a new version
 * simply stops asking for the old entries, which age out.
 */
const BODY_CACHE_CHARS = 32 * 1024 * 1024;

const notFound = (symbol: string) =>
  new ProblemException(404, `No item with symbol ${symbol.slice(0, 20)}`);

function calendarDate(text: string | undefined, field: string): string | null {
  if (text === undefined) return null;
  try {
    parseDate(text);
  } catch {
    const message = `${field} must be a calendar date YYYY-MM-DD`;
    throw new ProblemException(400, `Invalid request: ${message}`, [{ field, message }]);
  }
  return text;
}

/**
 * OHLCV for charts. The tag is the data version and the normalized query: every writer of bars
 * bumps the version, so an unchanged version means unchanged bars and a revalidation costs no
 * query on price_bars.
 */
@Injectable()
export class BarsService {
  private readonly bodies = new LRUCache<string, string>({
    maxSize: BODY_CACHE_CHARS,
    sizeCalculation: (body) => body.length,
  });
  constructor(
    private readonly bars: BarsRepository,
    private readonly versions: DataVersions,
  ) {}

  /**
   * Validates and normalizes the request before anything is read: 400 on bad input, 404 for a
   * symbol no item can have (creation enforces the pattern), so the tag holds only safe characters.
   */
  normalize(rawSymbol: string, dto: BarsQueryDto): BarsQuery {
    const symbol = rawSymbol.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(symbol)) throw notFound(symbol);
    const from = calendarDate(dto.from, 'from');
    const to = calendarDate(dto.to, 'to');
    if (from !== null && to !== null && from > to) {
      const message = `from (${from}) is after to (${to})`;
      throw new ProblemException(400, `Invalid request: ${message}`, [{ field: 'from', message }]);
    }
    return {
      symbol,
      interval: dto.interval ?? 'day',
      from,
      to,
      limit: dto.limit ?? MAX_BARS,
    };
  }

  async etagOf(q: BarsQuery): Promise<string> {
    const version = await this.versions.recent();
    return `"bars-${version}-${q.symbol}-${q.interval}-${q.from ?? ''}-${q.to ?? ''}-${q.limit}"`;
  }

  /** 404 unless the symbol is an item. */
  async assertItem(symbol: string): Promise<void> {
    if (!(await this.bars.isItem(symbol))) throw notFound(symbol);
  }

  /**
   * `{symbol, interval, t, o, h, l, c, v}` as JSON text; 404 for a symbol that is not an item.
   * Popular charts are asked for again and again while the data stays the same: the body is kept
   * under its ETag, so a repeat costs no query.
   */
  async body(q: BarsQuery): Promise<string> {
    const etag = await this.etagOf(q);
    const kept = this.bodies.get(etag);
    if (kept !== undefined) return kept;
    const columns = await this.bars.columns(q);
    if (columns === null) throw notFound(q.symbol);
    // PostgreSQL wrote `{"t" : […], …}`; the two leading fields are spliced in front of it.
    const head = JSON.stringify({ symbol: q.symbol, interval: q.interval }).slice(0, -1);
    const body = `${head},${columns.slice(1)}`;
    this.bodies.set(etag, body);
    return body;
  }
}
