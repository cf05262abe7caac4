import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { CreateItemDto, ItemDto, ItemPageDto, ListItemsQuery, UpdateItemDto } from './items.dto.js';
import { CREATE_ITEM_BODY, LIST_ITEMS_QUERY, UPDATE_ITEM_BODY } from './items.schema.js';
import { ItemsService } from './items.service.js';

@ApiTags('items')
@Controller('v1/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @RequireScope('read')
  @RateLimit('itemsRead')
  @ApiOperation({
    operationId: 'listItems',
    summary: 'List instruments (keyset pagination, filters by sector, text and state)',
  })
  // The hottest route: its query validated by the schema Fastify compiles once (Ajv). Its page is
  // written by JSON.stringify, not from ITEM_PAGE by fast-json-stringify: measured slower for these
  // long text fields (docs/decisions.md).
  @RouteSchema({ querystring: LIST_ITEMS_QUERY })
  @ApiOkResponse({ type: ItemPageDto })
  @ApiProblems(400, 403)
  list(@Query() query: ListItemsQuery): Promise<ItemPageDto> {
    return this.items.list(query);
  }

  @Get(':symbol')
  @RequireScope('read')
  @RateLimit('itemsRead')
  @ApiOperation({ operationId: 'getItem', summary: 'One instrument' })
  @ApiOkResponse({ type: ItemDto })
  // 400: a malformed %-escape in the symbol; 414: a symbol longer than the router takes.
  @ApiProblems(400, 403, 404, 414)
  get(@Param('symbol') symbol: string): Promise<ItemDto> {
    return this.items.get(symbol);
  }

  @Post()
  @RequireScope('admin')
  @RateLimit('itemsWrite')
  @ApiOperation({ operationId: 'createItem', summary: 'Add an instrument' })
  @RouteSchema({ body: CREATE_ITEM_BODY })
  @ApiCreatedResponse({ type: ItemDto })
  @ApiProblems(400, 403, 409, 413, 415)
  create(@Body() body: CreateItemDto): Promise<ItemDto> {
    return this.items.create(body);
  }

  @Patch(':symbol')
  @RequireScope('admin')
  @RateLimit('itemsWrite')
  @ApiOperation({ operationId: 'updateItem', summary: 'Change an instrument' })
  @RouteSchema({ body: UPDATE_ITEM_BODY })
  @ApiOkResponse({ type: ItemDto })
  @ApiProblems(400, 403, 404, 413, 414, 415)
  update(@Param('symbol') symbol: string, @Body() body: UpdateItemDto): Promise<ItemDto> {
    return this.items.update(symbol, body);
  }

  @Delete(':symbol')
  @HttpCode(204)
  @RequireScope('admin')
  @RateLimit('itemsWrite')
  @ApiOperation({
    operationId: 'deactivateItem',
    summary: 'Deactivate an instrument (kept for history; scans skip it)',
  })
  @ApiNoContentResponse({ description: 'Deactivated' })
  // It takes no body, but a body sent anyway is parsed (and refused) like any other.
  @ApiProblems(400, 403, 404, 413, 414, 415)
  async remove(@Param('symbol') symbol: string): Promise<void> {
    await this.items.deactivate(symbol);
  }
}
