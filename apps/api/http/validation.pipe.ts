import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, type FieldError } from './problem.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * whitelist + forbidNonWhitelisted: an unknown or misspelt field is a 400 naming it, never silently
 * dropped; transform: DTOs arrive as class instances with numbers and booleans converted.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
