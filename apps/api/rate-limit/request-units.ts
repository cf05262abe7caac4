import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig, type RateLimitBucket } from '#config';
import type { AuthenticatedRequest } from '../auth/api-key.guard.js';
import { RetryLaterException } from '../http/problem.js';
import { rateLimitOf, refundRateLimit, spendRateLimit, trackerOf } from './rate-limit.budget.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/**
 * Requests that cost more than one unit of their bucket: a batch prediction spends one per text
 * (issue 11: limits by cost, not by call). The throttler guard spent the first unit before the
 * route ran; this spends the rest once the body is validated. A batch larger than what remains is
 * refused whole — every unit given back, the guard's too — so the caller may send a smaller one.
 */
@Injectable()
export class RequestUnits {
  constructor(
    private readonly limits: RedisThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async spend(
    bucket: RateLimitBucket,
    units: number,
    request: AuthenticatedRequest,
    reply: FastifyReply,
  ): Promise<void> {
    if (units <= 1) return;
    const { principal } = request;
    const tracker = trackerOf(principal, request.ip);
    const limit = rateLimitOf(this.config, bucket, principal);
    const record = await spendRateLimit(this.limits, this.config, bucket, tracker, {
      principal,
      units: units - 1,
    });
    if (record.isBlocked) {
      await refundRateLimit(this.limits, bucket, tracker, units);
      const left = Math.max(0, limit - (record.totalHits - units));
      reply.header('X-RateLimit-Remaining', left);
      throw new RetryLaterException(
        429,
        `This request costs ${units} units of the ${bucket} budget (one per text) and ${left} of ${limit} remain in this window; send fewer texts or retry in ${record.timeToBlockExpire} s`,
        record.timeToBlockExpire,
      );
    }
    // The guard wrote the header before this request's other units were counted.
    if (record.totalHits > 0)
      reply.header('X-RateLimit-Remaining', Math.max(0, limit - record.totalHits));
  }
}
