import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CURSOR_MAX_LENGTH } from './json-schema.js';

/**
 * One property decorator made of `decorators`, applied as TypeScript applies them written as a
 * stack in this order: the last first (Nest's applyDecorators goes first to last). The validation
 * metadata, and with it the order of a field's messages, stays that of the stack it replaces.
 */
export const stack =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorator of decorators.toReversed()) decorator(target, key);
  };

/** `?limit=`: page size from 1 to `max` (a query string, converted to a number). */
export const PageLimit = ({ max, byDefault }: { max: number; byDefault: number }) =>
  stack(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max, default: byDefault }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );

/** `?cursor=`: the nextCursor of the previous page, opaque to the client. */
export const PageCursor = () =>
  stack(
    ApiPropertyOptional({
      description: "Opaque cursor from the previous page's nextCursor",
      maxLength: CURSOR_MAX_LENGTH,
    }),
    IsOptional(),
    IsString(),
    MaxLength(CURSOR_MAX_LENGTH),
  );
