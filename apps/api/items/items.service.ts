import { Injectable } from '@nestjs/common';
import type { ItemEntity } from '#database';
import { GICS_SECTORS, resolveSector } from '#market-data';
import { ProblemException } from '../http/problem.js';
import {
  type CreateItemDto,
  type ItemDto,
  type ItemPageDto,
  type ListItemsQuery,
  type UpdateItemDto,
} from './items.dto.js';
import { SYMBOL_PATTERN } from './items.schema.js';
import { ItemsRepository } from './items.repository.js';

const DEFAULT_PAGE_SIZE = 50;

export function toItemDto(item: ItemEntity): ItemDto {
  return {
    symbol: item.symbol,
    name: item.name,
    description: item.description,
    sector: item.sector,
    industry: item.industry,
    active: item.active,
    firstBarDate: item.firstBarDate,
    lastBarDate: item.lastBarDate,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

/** The cursor is opaque to clients: base64url of the last symbol of the page. */
const encodeCursor = (symbol: string) => Buffer.from(symbol, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const symbol = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!SYMBOL_PATTERN.test(symbol) || encodeCursor(symbol) !== cursor) {
    throw new ProblemException(400, 'cursor is not one this API returned', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  }
  return symbol;
}

function canonicalSector(input: string, field = 'sector'): string {
  const sector = resolveSector(input);
  if (!sector) {
    const message = `unknown sector "${input}"; valid sectors: ${GICS_SECTORS.join(', ')}`;
    throw new ProblemException(400, message, [{ field, message }]);
  }
  return sector;
}

@Injectable()
export class ItemsService {
  constructor(private readonly items: ItemsRepository) {}

  async list(query: ListItemsQuery): Promise<ItemPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filter = {
      sector: query.sector === undefined ? undefined : canonicalSector(query.sector),
      q: query.q,
      active: query.active ?? true,
    };
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const { rows, hasMore } = await this.items.page(filter, limit, after);
    return { data: rows, nextCursor: hasMore ? encodeCursor(rows[rows.length - 1]!.symbol) : null };
  }

  async get(symbol: string): Promise<ItemDto> {
    return toItemDto(await this.require(symbol));
  }

  async create(dto: CreateItemDto): Promise<ItemDto> {
    const created = await this.items.insertIfAbsent({
      symbol: dto.symbol,
      name: dto.name.trim(),
      description: dto.description ?? '',
      sector: canonicalSector(dto.sector),
      industry: dto.industry ?? null,
      active: dto.active ?? true,
    });
    if (!created)
      throw new ProblemException(409, `An item with symbol ${dto.symbol} already exists`);
    return toItemDto(created);
  }

  async update(symbol: string, dto: UpdateItemDto): Promise<ItemDto> {
    const changes: Partial<ItemEntity> = {};
    if (dto.name !== undefined) changes.name = dto.name.trim();
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.sector !== undefined) changes.sector = canonicalSector(dto.sector);
    if (dto.industry !== undefined) changes.industry = dto.industry;
    if (dto.active !== undefined) changes.active = dto.active;
    if (Object.keys(changes).length === 0)
      throw new ProblemException(400, 'The body must change at least one field');
    const normalized = this.normalize(symbol);
    const updated = SYMBOL_PATTERN.test(normalized)
      ? await this.items.update(normalized, changes)
      : null;
    if (!updated) throw this.notFound(symbol);
    return toItemDto(updated);
  }

  /** Deactivates rather than deletes: bars and past scans keep referring to the item. */
  async deactivate(symbol: string): Promise<void> {
    const item = await this.require(symbol);
    if (item.active) await this.items.update(item.symbol, { active: false });
  }

  private normalize(symbol: string): string {
    return symbol.trim().toUpperCase();
  }

  /** A symbol outside the pattern cannot exist (creation enforces it): 404 without a query, whatever bytes it holds. */
  private async require(symbol: string): Promise<ItemEntity> {
    const normalized = this.normalize(symbol);
    const item = SYMBOL_PATTERN.test(normalized) ? await this.items.findBySymbol(normalized) : null;
    if (!item) throw this.notFound(symbol);
    return item;
  }

  private notFound(symbol: string): ProblemException {
    return new ProblemException(404, `No item with symbol ${symbol.slice(0, 20)}`);
  }
}
