import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ProblemException } from './problem.js';
import { isSchemaChecked } from './schema-validation.js';
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

/** At most this many field errors in a 400: a body of 100,000 bad fields is not answered in kind. */
export const MAX_FIELD_ERRORS = 20;

/** No DTO of this api has objects wider than this, nor arrays longer (a batch has ≤ 256 texts). */
export const MAX_OBJECT_KEYS = 64;
export const MAX_ARRAY_ITEMS = 1024;

/**
 * The first structure of a body wider than any DTO allows, by its JSON path: an object with more
 * than MAX_OBJECT_KEYS keys or an array of more than MAX_ARRAY_ITEMS items. Found in one pass that
 * stops at the first, before class-transformer and class-validator see the body — they cost time
 * that grows faster than the number of keys (110,000 unknown keys held a process 10 s).
 */
export function tooWide(value: unknown): string | null {
  const pending: [unknown, string][] = [[value, '']];
  while (pending.length > 0) {
    const [v, path] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      if (v.length > MAX_ARRAY_ITEMS)
        return `${path || 'the body'} has ${v.length} items; at most ${MAX_ARRAY_ITEMS}`;
      v.forEach((item, i) => pending.push([item, `${path}[${i}]`]));
    } else {
      const keys = Object.keys(v);
      if (keys.length > MAX_OBJECT_KEYS)
        return `${path || 'the body'} has ${keys.length} fields; at most ${MAX_OBJECT_KEYS}`;
      for (const key of keys)
        pending.push([(v as Record<string, unknown>)[key], path ? `${path}.${key}` : key]);
    }
  }
  return null;
}

class DepthLimitedValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Already accepted by its route's JSON schema (schema-validation.ts): nothing left to check.
    if (isSchemaChecked(value)) return Promise.resolve(value);
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
    const wide = metadata.type === 'body' && this.toValidate(metadata) ? tooWide(value) : null;
    if (wide !== null) return Promise.reject(new ProblemException(400, `Invalid request: ${wide}`));
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
      // One message per invalid field; each message names its field. At most MAX_FIELD_ERRORS.
      const all = fieldErrors(errors);
      const found = all.slice(0, MAX_FIELD_ERRORS);
      const more = all.length > found.length ? `; and ${all.length - found.length} more` : '';
      const detail = `Invalid request: ${found.map((e) => e.message).join('; ')}${more}`;
      return new ProblemException(400, detail, found);
    },
  });
}
