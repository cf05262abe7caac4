import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem.js';

@ApiSchema({ name: 'FieldError', description: 'One invalid input: where and why' })
class FieldErrorDto {
  @ApiProperty({ example: 'limit', description: 'Dotted path of the field, e.g. symbols[2]' })
  field!: string;
  @ApiProperty({ example: 'limit must not be greater than 200' }) message!: string;
}

/** RFC 9457 problem details, as documented for every error response. */
@ApiSchema({
  name: 'Problem',
  description: 'RFC 9457 problem details: the body of every error, as application/problem+json',
})
export class ProblemDto {
  @ApiProperty({
    example: 'urn:market-scanner:problem:not-found',
    description: 'urn:market-scanner:problem:<slug>; the slugs are listed in docs/api.md',
  })
  type!: string;
  @ApiProperty({ example: 'Not Found', description: 'The HTTP reason phrase of the status' })
  title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 }) status!: number;
  @ApiProperty({ example: 'No item with symbol ZZZZ', description: 'What went wrong, for people' })
  detail!: string;
  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Validation problems only (type …:validation): every invalid field',
  })
  errors?: FieldErrorDto[];
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/** Per status: when it happens, and a body the server really sends in that case. */
const PROBLEMS: Record<number, { description: string; example: ProblemBody; retry?: true }> = {
  400: {
    description:
      'Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL',
    example: problem(400, 'Invalid request: limit: limit must not be greater than 200', [
      { field: 'limit', message: 'limit must not be greater than 200' },
    ]),
  },
  401: {
    description: 'Missing, invalid or revoked API key or installation token',
    example: problem(401, 'Missing API key: send it in the X-API-Key header'),
  },
  403: {
    description: 'The credential lacks the scope this route needs',
    example: problem(403, 'This API key lacks the "read" scope'),
  },
  404: {
    description: 'No such resource',
    example: problem(404, 'No item with symbol ZZZZ'),
  },
  409: {
    description: 'Conflicts with an existing resource',
    example: problem(409, 'An item with symbol AAPL already exists'),
  },
  413: {
    description: 'Body larger than the limit',
    example: problem(413, 'Request body is too large'),
  },
  414: {
    description: 'A path segment longer than the router accepts (a symbol or id far too long)',
    example: problem(414, 'A path segment is too long'),
  },
  415: {
    description: 'A body that is not application/json',
    example: problem(415, 'Unsupported Content-Type: send the body as application/json'),
  },
  422: {
    description:
      'Well-formed but cannot be processed (a date outside the data, too little history)',
    example: problem(422, 'asOf 1990-01-02 is outside the data (2013-02-08..2018-02-07)'),
  },
  429: {
    description: 'Rate limit or in-flight cap reached; retry after Retry-After seconds',
    example: problem(429, 'Rate limit exceeded; retry after the number of seconds in Retry-After'),
    retry: true,
  },
  503: {
    description:
      'A backing service is unavailable or the scan queue is full; retry after Retry-After',
    example: problem(503, 'A backing service is temporarily unavailable; retry shortly'),
    retry: true,
  },
};

/**
 * Documents the problem+json responses a route can give, each with an example of its own status.
 * 401, 429 and 503 apply to every /v1 route. A trailing `{status: detail}` replaces the example's
 * detail with the one this route sends (a scan's 404 names the scan, not an item).
 */
export const ApiProblems = (...args: (number | Record<number, string>)[]) => {
  const statuses = args.filter((a): a is number => typeof a === 'number');
  const examples = Object.assign({}, ...args.filter((a) => typeof a === 'object')) as Record<
    number,
    string
  >;
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...[...new Set([...statuses, 401, 429, 503])].map((status) => {
      const known = PROBLEMS[status];
      if (!known) throw new Error(`ApiProblems: no description for status ${status}`);
      const detail = examples[status];
      const example = detail === undefined ? known.example : { ...known.example, detail };
      return ApiResponse({
        status,
        description: known.description,
        ...(known.retry ? { headers: RETRY_AFTER } : {}),
        content: {
          [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) }, example },
        },
      });
    }),
  );
};
