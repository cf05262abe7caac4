import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whether an If-None-Match header matches `etag` (RFC 9110 §13.1.2: weak comparison, a list of
 * tags or `*`). A client revalidating a copy sends back the tag it was given.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = bare(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === wanted);
}

/**
 * Answers 304 when the client's copy (If-None-Match) is `etag`, with the validators a 304 repeats;
 * returns false otherwise, and the caller sets them on its 200 (never on an error).
 */
export function notModified(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  cacheControl: string,
): boolean {
  if (!ifNoneMatchHits(request.headers['if-none-match'], etag)) return false;
  reply.status(304).header('ETag', etag).header('Cache-Control', cacheControl);
  return true;
}
