import {
  HttpException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, map, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/api-key.guard.js';
import { refundRateLimit, spendsScanBudget, trackerOf } from '../rate-limit/rate-limit.budget.js';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import type { ScanDto } from './scans.dto.js';

/**
 * The scans-create budget counts cost, not calls. The throttler guard spends one unit before the
 * route runs (so an exhausted caller is refused without any work); once the answer is known, a
 * cached answer or a refused request (4xx) gets its unit back. The X-RateLimit-Remaining header was
 * written before, so it may show one unit less than remains.
 */
@Injectable()
export class ScanBudgetInterceptor implements NestInterceptor {
  constructor(private readonly limits: RedisThrottlerStorage) {}

  intercept(
    context: ExecutionContext,
    next: CallHandler<ScanDto | Buffer>,
  ): Observable<ScanDto | Buffer> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // The refund is sent, not waited for: the answer does not depend on it (a refund that fails
    // is logged by the storage, and the unit stays spent), and it goes to Redis before the answer
    // goes to the client, so whatever request the client sends next is counted after it.
    const settle = (outcome: { cached: boolean } | { status: number }) => {
      if (!spendsScanBudget(outcome))
        void refundRateLimit(this.limits, 'scansCreate', trackerOf(request.principal, request.ip));
    };
    return next.handle().pipe(
      map((scan) => {
        // Bytes are only ever a cached answer held in memory (ScanCache).
        settle({ cached: Buffer.isBuffer(scan) || scan.cached });
        return scan;
      }),
      catchError((error: unknown) => {
        settle({ status: error instanceof HttpException ? error.getStatus() : 500 });
        throw error;
      }),
    );
  }
}
