import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ProblemException } from './problem.js';
import { fieldErrors } from './validation.errors.js';

/** What a JSON body is, in a client's words, when it is not the object a DTO expects. */
function notAnObject(value: unknown): string | null {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' || value === undefined ? null : `a ${typeof value}`;
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
    // Nest turns a null body into {} (an empty scan request); an array or a bare value would reach
    // class-validator as an "unknown value". Neither is what the client meant: say what was sent.
    // An absent body (undefined) stays valid where every field is optional.
    const sent = metadata.type === 'body' && this.toValidate(metadata) ? notAnObject(value) : null;
    if (sent !== null) {
      return Promise.reject(
        new ProblemException(400, `Invalid request: the body must be a JSON object, not ${sent}`),
      );
    }
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
    // fieldErrors re-runs `each` rules item by item: it needs the object and the value. Neither is
    // ever sent to the client (the factory below sends fields and messages only).
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => {
      // One message per invalid field; each message names its field.
      const found = fieldErrors(errors);
      const detail = `Invalid request: ${found.map((e) => e.message).join('; ')}`;
      return new ProblemException(400, detail, found);
    },
  });
}
