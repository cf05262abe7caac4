/**
 * The peer of `npm run bench:http`: GET /v1/items with nothing but Fastify 5 and a `pg` Pool.
 * No auth, rate limiting, validation, ORM, request logging or metrics: what the full stack adds on
 * top of this is exactly what the benchmark ratio measures. Started as its own process by
 * bench/http/http.bench.ts so that it gets the same treatment as the api (one Node process, same machine).
 *
 * Env: BENCH_PORT (required), DATABASE_URL, DB_POOL_SIZE (default 10, the api's default).
 */
import { ITEMS_PAGE_SQL } from '../../apps/api/items/items.sql.js';
import Fastify from 'fastify';
import pg from 'pg';

const port = Number(process.env.BENCH_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PORT must be a port number');
const databaseUrl = process.env.DATABASE_URL || 'postgres://scanner:scanner@127.0.0.1:5432/scanner';
const poolSize = Number(process.env.DB_POOL_SIZE || 10);

// Same pool bound as the api (DB_POOL_SIZE), so neither side wins by holding more connections.
const pool = new pg.Pool({
  connectionString: databaseUrl,
  max: poolSize,
  application_name: 'market-scanner-bench-bare',
});

// The api's page query itself (apps/api/items/items.sql.ts), as the same named prepared statement,
// with the filters switched off by NULL as the api does for an unfiltered page: PostgreSQL and the
// driver do identical work on both sides, so the ratio measures the stack alone.

/** Already in the API's shape (camelCase, ISO timestamps): rows go out as they come. */
interface ItemRow {
  symbol: string;
  name: string;
  description: string;
  sector: string;
  industry: string | null;
  active: boolean;
  firstBarDate: string | null;
  lastBarDate: string | null;
  createdAt: string;
  updatedAt: string;
}

const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));

app.get<{ Querystring: { limit?: string } }>('/v1/items', async (request) => {
  // Minimal parsing only: the full stack's validation is part of what is being measured.
  const requested = Number(request.query.limit ?? 50);
  const limit = Number.isInteger(requested) && requested >= 1 && requested <= 200 ? requested : 50;
  // `limit + 1` rows tell whether a next page exists, as in the api.
  const { rows } = await pool.query<ItemRow>({
    name: 'items_page',
    text: ITEMS_PAGE_SQL,
    values: [true, null, null, null, limit + 1],
  });
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return {
    data: page,
    nextCursor: hasMore
      ? Buffer.from(page[page.length - 1]!.symbol, 'utf8').toString('base64url')
      : null,
  };
});

const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ port, host: '127.0.0.1' });
