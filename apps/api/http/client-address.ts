import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

/**
 * Whether a peer address lies in one of `ranges` (the CIDR list of `config.api.trustProxy`); never
 * for an empty list. The WebSocket upgrade's check, compiled by @fastify/proxy-addr — the library
 * behind Fastify's `trustProxy` and `request.ip` — so both sides apply one rule (mapped IPv4
 * addresses on a dual-stack socket read as IPv4).
 */
export function proxyTrust(ranges: readonly string[]): (address: string) => boolean {
  const trusted = proxyaddr.compile([...ranges]);
  return (address) => trusted(address, 0);
}

/**
 * The client address of an upgrade request exactly as Fastify's `request.ip` finds it: from the
 * socket's peer back through X-Forwarded-For, for as long as the hop that told us is trusted.
 * Nginx overwrites the header with its own peer, so behind it this is Nginx's client.
 */
export const clientAddress = (
  req: IncomingMessage,
  trusted: (address: string) => boolean,
): string => proxyaddr(req, (address) => trusted(address));
