import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface.js';
import type { AuthenticatedRequest } from '../auth/api-key.guard.js';
import { trackerOf } from './rate-limit.budget.js';

/**
 * The throttler guard with our keys and headers: the tracker is the API key when the request has
 * one (checked by ApiKeyGuard, which runs first), else the client IP as Fastify resolved it with
 * `trustProxy` (only the proxies TRUST_PROXY names may set X-Forwarded-For). A 429 carries the same
 * X-RateLimit-* headers as a success, plus Retry-After.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as AuthenticatedRequest;
    return trackerOf(request.principal, request.ip);
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, `${this.headerPrefix}-Limit`, detail.limit);
    this.setResponseHeader(res, `${this.headerPrefix}-Remaining`, 0);
    this.setResponseHeader(res, `${this.headerPrefix}-Reset`, detail.timeToExpire);
    throw new ThrottlerException(await this.getErrorMessage(context, detail));
  }
}
