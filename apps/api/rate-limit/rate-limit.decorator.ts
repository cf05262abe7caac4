import { SetMetadata } from '@nestjs/common';
import type { RateLimitBucket } from '#config';

export const RATE_LIMIT_BUCKET = 'rate-limit:bucket';

/**
 * Counts the route against a named budget (DESIGN §7): routes sharing a bucket share one counter
 * per caller, so "items write 60/min" covers POST, PATCH and DELETE together.
 * Routes without a bucket (health, metrics, docs) are never limited.
 */
export const RateLimit = (bucket: RateLimitBucket) => SetMetadata(RATE_LIMIT_BUCKET, bucket);
