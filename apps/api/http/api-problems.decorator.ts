import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'FieldError' })
class FieldErrorDto {
  @ApiProperty({ example: 'limit' }) field!: string;
  @ApiProperty({ example: 'limit must not be greater than 200' }) message!: string;
}

/** RFC 9457 problem details, as documented for every error response. */
@ApiSchema({ name: 'Problem' })
export class ProblemDto {
  @ApiProperty({ example: 'urn:market-scanner:problem:validation' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'Invalid request: limit: limit must not be greater than 200' })
  detail!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (field errors listed in `errors`) or malformed JSON',
  401: 'Missing, invalid or revoked API key',
  403: 'The API key lacks the scope this route needs',
  404: 'No such resource',
  409: 'Conflicts with an existing resource',
  413: 'Body larger than the limit',
  422: 'Well-formed but cannot be processed',
  429: 'Rate limit exceeded; see Retry-After and X-RateLimit-* headers',
  503: 'A backing service is unavailable; retry later',
};

/** Documents the problem+json responses a route can give. 401, 429 and 503 apply to every /v1 route. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ...[...new Set([...statuses, 401, 429, 503])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        type: ProblemDto,
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      }),
    ),
  );
