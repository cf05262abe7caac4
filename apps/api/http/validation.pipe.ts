import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ProblemException, type FieldError } from './problem.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Deeper than any DTO of this api. class-transformer recurses once per level and overflowed the
 * stack near 1,300 levels of `[[[…]]]`: a 500 for a 3 KB body (found by the fuzz suite).
 */
export const MAX_INPUT_DEPTH = 32;

/** Whether objects/arrays nest deeper than `limit`; iterative, so the check itself cannot overflow. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
  return false;
}

class DepthLimitedValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only bodies can nest (Fastify's query parser yields flat strings and arrays; path params are
    // strings), and only what is validated against a DTO class goes through class-transformer's
    // recursion: GET requests skip the walk.
    if (
      metadata.type === 'body' &&
      this.toValidate(metadata) &&
      nestedDeeperThan(value, MAX_INPUT_DEPTH)
    ) {
      return Promise.reject(
        new ProblemException(
          400,
          `Invalid request: ${metadata.type} nests deeper than ${MAX_INPUT_DEPTH} levels`,
        ),
      );
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/**
 * whitelist + forbidNonWhitelisted: an unknown or misspelt field is a 400 naming it, never silently
 * dropped; transform: DTOs arrive as class instances with numbers and booleans converted.
 */
export function createValidationPipe(): ValidationPipe {
  return new DepthLimitedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const detail = `Invalid request: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
      return new ProblemException(400, detail, fieldErrors);
    },
  });
}
