import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  NotContains,
  ValidateIf,
} from 'class-validator';
import { PageCursor, PageLimit } from '../http/field.decorators.js';
import { DescribedBy } from '../http/json-schema.js';
import { ITEM, ITEM_PAGE, NO_NUL, SYMBOL_PATTERN } from './items.schema.js';

/** Surrounding blanks are not part of a name: "   " becomes "" and fails IsNotEmpty. */
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * PostgreSQL text cannot hold NUL (U+0000): a field that reaches the database refuses it as invalid
 * instead of failing there with a 500 (found by the fuzz suite, test/fuzz/fuzz.e2e-spec.ts).
 */
const NoNul = () =>
  NotContains('\u0000', { message: '$property must not contain NUL (U+0000) characters' });

/**
 * Absent means "leave unchanged"; unlike @IsOptional(), null is validated (and refused) rather than
 * passed on to a NOT NULL column as a 500 (found by the fuzz suite). Only `industry` may be null.
 */
const Optional = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/** Query strings carry text; only the exact words true/false are booleans, anything else stays invalid. */
const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

/**
 * GET /v1/items's query: its OpenAPI description, and the rules that word the 400 of a refusal; the
 * route is validated by its JSON schema (LIST_ITEMS_QUERY), checked to agree with them.
 */
export class ListItemsQuery {
  @ApiPropertyOptional({
    type: 'string',
    maxLength: 64,
    description: 'GICS sector, case-insensitive; aliases such as "technology" accepted',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sector?: string;

  @ApiPropertyOptional({
    type: 'string',
    minLength: 1,
    maxLength: 100,
    pattern: NO_NUL,
    description: 'Case-insensitive substring of the symbol or the name',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @NoNul()
  q?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'true (default): active items; false: deactivated ones',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;

  @PageLimit({ max: 200, byDefault: 50 })
  limit?: number;

  @PageCursor()
  cursor?: string;
}

@ApiSchema({ name: 'CreateItem' })
export class CreateItemDto {
  @ApiProperty({ example: 'NVDA', pattern: SYMBOL_PATTERN.source })
  @IsString()
  @Matches(SYMBOL_PATTERN, {
    message: 'symbol must be 1-10 characters: an upper-case letter, then A-Z, 0-9, "." or "-"',
  })
  symbol!: string;

  @ApiProperty({ example: 'NVIDIA Corp', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @NoNul()
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoNul()
  description?: string;

  @ApiProperty({ example: 'Information Technology', description: 'GICS sector or alias' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sector!: string;

  @ApiPropertyOptional({ example: 'Semiconductors', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @NoNul()
  industry?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@ApiSchema({ name: 'UpdateItem' })
export class UpdateItemDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @NoNul()
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @IsString()
  @MaxLength(2000)
  @NoNul()
  description?: string;

  @ApiPropertyOptional({ description: 'GICS sector or alias' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sector?: string;

  @ApiPropertyOptional({ maxLength: 128, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @NoNul()
  industry?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  active?: boolean;
}

/** Its OpenAPI description is its JSON schema (items.schema.ts), the one the route writes with. */
@ApiSchema({ name: 'Item' })
@DescribedBy(ITEM)
export class ItemDto {
  symbol!: string;
  name!: string;
  description!: string;
  sector!: string;
  industry!: string | null;
  active!: boolean;
  firstBarDate!: string | null;
  lastBarDate!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

@ApiSchema({ name: 'ItemPage' })
// `data` refers to the Item component rather than repeating it.
@DescribedBy(ITEM_PAGE, { data: { type: [ItemDto] } })
export class ItemPageDto {
  data!: ItemDto[];
  nextCursor!: string | null;
}
