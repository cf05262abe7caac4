import { isIP } from 'node:net';

/** What `TRUST_PROXY=loopback` stands for: a proxy on this host (Nginx under Supervisor). */
export const LOOPBACK_RANGES: readonly string[] = ['127.0.0.0/8', '::1/128'];

/**
 * One `TRUST_PROXY` entry as a CIDR range (`10.0.0.7` → `10.0.0.7/32`), or why it is not one.
 * Zone indexes (`fe80::1%eth0`) and netmask notation are refused: Fastify would take them, the
 * WebSocket side's check would not, and both sides must trust exactly the same peers.
 */
function toRange(entry: string): { range: string } | { problem: string } {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = address.includes('%') ? 0 : isIP(address);
  const bits = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0)
    return { problem: `"${entry}" is not an IP address or CIDR range` };
  if (prefix === undefined) return { range: `${address}/${bits}` };
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits)
    return { problem: `"${entry}": the prefix length must be 0..${bits}` };
  return { range: `${address}/${Number(prefix)}` };
}

/**
 * `TRUST_PROXY` as the list of ranges whose peers may set X-Forwarded-For: `none` (nobody),
 * `loopback`, or a comma-separated list of addresses and CIDR ranges (`172.28.0.0/16` for the
 * compose network Nginx runs in), where `loopback` may appear as an entry too. Every bad entry is
 * named in the one problem, so one restart fixes them all.
 */
export function parseTrustProxy(value: string): { ranges: string[] } | { problem: string } {
  const text = value.trim();
  if (text === 'none') return { ranges: [] };
  const entries = text.split(',').map((e) => e.trim());
  const ranges: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    if (entry === 'loopback') {
      ranges.push(...LOOPBACK_RANGES);
      continue;
    }
    const parsed = toRange(entry);
    if ('range' in parsed) ranges.push(parsed.range);
    else problems.push(entry === '' ? 'an empty entry' : parsed.problem);
  }
  if (problems.length > 0)
    return {
      problem: `${problems.join('; ')} (use none, loopback, or addresses and CIDR ranges separated by commas, e.g. 172.28.0.0/16)`,
    };
  return { ranges: [...new Set(ranges)] };
}
