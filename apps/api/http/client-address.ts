import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is checked as `10.0.0.1`. */
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Whether a peer address lies in one of `ranges` (the CIDR list of `config.api.trustProxy`); never
 * for an empty list. The WebSocket upgrade's check; HTTP requests get the same ranges through
 * Fastify's `trustProxy` (proxy-addr), which also reads mapped IPv4 addresses as IPv4.
 */
export function proxyTrust(ranges: readonly string[]): (address: string) => boolean {
  if (ranges.length === 0) return () => false;
  const trusted = new BlockList();
  for (const range of ranges) {
    const [network, prefix] = range.split('/') as [string, string];
    trusted.addSubnet(network, Number(prefix), isIP(network) === 6 ? 'ipv6' : 'ipv4');
  }
  return (address) => {
    const plain = MAPPED_V4.exec(address)?.[1] ?? address;
    const family = isIP(plain);
    return family !== 0 && trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client address of a request the way proxy-addr (Fastify's `request.ip`) finds it: from the
 * socket's peer back through X-Forwarded-For, right to left, for as long as the hop that told us
 * is trusted. Nginx overwrites the header with its own peer, so behind it this is Nginx's client.
 */
export function clientAddress(req: IncomingMessage, trusted: (address: string) => boolean): string {
  let client = req.socket.remoteAddress ?? 'unknown';
  const header = req.headers['x-forwarded-for'];
  const hops = typeof header === 'string' ? header.split(',').map((h) => h.trim()) : [];
  for (const hop of hops.reverse()) {
    if (!hop || !trusted(client)) break;
    client = hop;
  }
  return client;
}
