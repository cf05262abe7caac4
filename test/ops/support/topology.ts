import { after, before } from 'node:test';
import { withClient } from '../../support/databases.js';
import { testConfig } from '../../support/e2e.js';
import { flushRateLimits } from '../../support/fixtures.js';
import { hostDown, hostUp } from './host.js';

/**
 * The host the host-*.ops-spec.ts files probe: `npm run host:up` with the limits below before the
 * file's tests, `npm run host:down` after them.
 */
export const WRITE_LIMIT = 5;
export const WS_CONNECT_LIMIT = 10;
export const ITEMS = '/v1/items?limit=5';

/**
 * Registers the file's before (host:up) and after (host:down, then the key host:up made removed
 * from the test database). `key` and `ca` are set once `before` has run; `beforeDown` runs first in
 * `after`.
 */
export function useHost(beforeDown: () => void = () => {}): { key: string; ca: Buffer } {
  const host = { key: '', ca: Buffer.alloc(0) };
  before(
    async () => {
      testConfig(); // refuses anything but a _test database
      Object.assign(
        host,
        await hostUp({
          RATE_LIMIT_ITEMS_WRITE: String(WRITE_LIMIT),
          RATE_LIMIT_WS_CONNECT: String(WS_CONNECT_LIMIT),
          // The GET streams measure failures, not the read budget or Nginx's per-address backstop.
          RATE_LIMIT_ITEMS_READ: '1000000',
          NGINX_RATE_PER_SECOND: '5000',
          NGINX_RATE_BURST: '10000',
        }),
      );
      await flushRateLimits();
    },
    { timeout: 300_000 },
  );

  after(
    async () => {
      beforeDown();
      await hostDown();
      // The key host:up made in the test database (host:up makes another next time).
      await withClient(testConfig().databaseUrl, (c) =>
        c.query(`DELETE FROM api_keys WHERE name = 'host'`),
      );
    },
    { timeout: 240_000 },
  );
  return host;
}
