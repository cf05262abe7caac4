import { HttpException } from '@nestjs/common';

/** One invalid input: where (`field`, dotted for nested values) and why. */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error this service sends. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem type URIs; each is described in docs/api.md. */
export const problemType = (slug: string): string => `urn:market-scanner:problem:${slug}`;

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad Request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not Found'],
  405: ['method-not-allowed', 'Method Not Allowed'],
  406: ['not-acceptable', 'Not Acceptable'],
  408: ['request-timeout', 'Request Timeout'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload Too Large'],
  414: ['uri-too-long', 'URI Too Long'],
  415: ['unsupported-media-type', 'Unsupported Media Type'],
  417: ['expectation-failed', 'Expectation Failed'],
  422: ['unprocessable', 'Unprocessable Content'],
  429: ['rate-limited', 'Too Many Requests'],
  431: ['headers-too-large', 'Request Header Fields Too Large'],
  500: ['internal', 'Internal Server Error'],
  503: ['unavailable', 'Service Unavailable'],
};

export function problem(status: number, detail: string, errors?: FieldError[]): ProblemBody {
  const [slug, title] = TITLES[status] ?? (status >= 500 ? TITLES[500]! : TITLES[400]!);
  return {
    type: problemType(errors ? 'validation' : slug),
    title,
    status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

/** Thrown by code that knows the exact problem to send (validation, conflicts, ...). */
export class ProblemException extends HttpException {
  constructor(status: number, detail: string, errors?: FieldError[]) {
    super(problem(status, detail, errors), status);
  }
}

/** A 429 or 503 that knows when to come back: the filter sends `Retry-After` (seconds) with it. */
export class RetryLaterException extends ProblemException {
  constructor(
    status: 429 | 503,
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(status, detail);
  }
}
