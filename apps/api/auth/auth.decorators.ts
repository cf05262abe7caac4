import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { ApiKeyScope } from '#database';

export const SCOPE_KEY = 'auth:scope';

/** The scope a key needs for this route; every `/v1` route declares one. */
export const RequireScope = (scope: ApiKeyScope) =>
  applyDecorators(SetMetadata(SCOPE_KEY, scope), ApiSecurity('apiKey'), ApiSecurity('bearer'));
