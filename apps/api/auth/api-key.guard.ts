import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyScope } from '#database';
import { ProblemException } from '../http/problem.js';
import { SCOPE_KEY } from './auth.decorators.js';
import type { Principal } from './api-key.service.js';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** The key from `X-API-Key`, else `Authorization: Bearer`, else `?apiKey=` (browser WebSockets). */
export function extractApiKey(headers: FastifyRequest['headers'], url?: string): string | null {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header) return header.trim();
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth))
    return auth.replace(/^Bearer\s+/i, '').trim();
  if (url) {
    const fromQuery = new URL(url, 'http://localhost').searchParams.get('apiKey');
    if (fromQuery) return fromQuery;
  }
  return null;
}

/**
 * Whether a matched route needs a credential: every `/v1` route. Decided on the route template,
 * never the raw URL: the router decodes %-escapes, so `/%761/items` reaches the /v1/items route
 * while its raw URL does not start with /v1.
 */
export const isProtectedRoute = (route: string | undefined): boolean =>
  route !== undefined && (route.startsWith('/v1/') || route === '/v1');

/** A key may do what its scopes name; `admin` may do everything. */
export const hasScope = (principal: Principal, scope: ApiKeyScope): boolean =>
  principal.scopes.includes(scope) || principal.scopes.includes('admin');

/** 403 unless the key has the scope: the one refusal for HTTP routes and WebSocket frames alike. */
export function assertScope(principal: Principal, scope: ApiKeyScope): void {
  if (!hasScope(principal, scope))
    throw new ProblemException(403, `This API key lacks the "${scope}" scope`);
}

/**
 * Every `/v1` route needs the route's scope (`admin` implies all). A `/v1` route that forgot to
 * declare a scope requires `admin`: closed by default. The credential itself was checked before the
 * body was read (authenticateBeforeBody), the one place an HTTP request is authenticated; a
 * protected route reached without a principal is refused, never authenticated a second way.
 * Health, metrics and docs live outside `/v1` and are public.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!isProtectedRoute(request.routeOptions.url ?? '')) return true;
    const principal = request.principal;
    if (!principal) throw new ProblemException(401, 'Missing API key: send it in the X-API-Key header');

    const scope =
      this.reflector.getAllAndOverride<ApiKeyScope | undefined>(SCOPE_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    assertScope(principal, scope);
    return true;
  }
}
