/**
 * The peer of `npm run bench:http`: GET /v1/items with nothing but Fastify 5 and a `pg` Pool.
 * No auth, rate limiting, validation, ORM, request logging or metrics: what the full stack adds on
 * top of this is exactly what the benchmark ratio measures. Started as its own process by
 * bench/http.bench.ts so that it gets the same treatment as the api (one Node process, same machine).
 *
 * Env: BENCH_PORT (required), DATABASE_URL, DB_POOL_SIZE (default 10, the api's default).
 */
import Fastify from 'fastify';
import pg from 'pg';

const port = Number(process.env.BENCH_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PORT must be a port number');
const databaseUrl = process.env.DATABASE_URL || 'postgres://scanner:scanner@127.0.0.1:5432/scanner';
const poolSize = Number(process.env.DB_POOL_SIZE || 10);

// TypeORM hands `date` columns to the app as 'YYYY-MM-DD' strings; pg would make them Date objects.
// Returning the text keeps the two JSON bodies byte-for-byte comparable (checked before measuring).
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

// Same pool bound as the api (DB_POOL_SIZE), so neither side wins by holding more connections.
const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, application_name: 'market-scanner-bench-bare' });

// Parameterised like TypeORM's query (extended protocol: parse/bind/execute per call), so the
// database and driver do the same work on both sides. `limit + 1` rows tell whether a next page exists.
const PAGE_SQL = `SELECT symbol, name, description, sector, industry, active, first_bar_date, last_bar_date, created_at, updated_at
FROM items WHERE active = $1 ORDER BY symbol LIMIT $2`;

interface ItemRow {
  symbol: string;
  name: string;
  description: string;
  sector: string;
  industry: string | null;
  active: boolean;
  first_bar_date: string | null;
  last_bar_date: string | null;
  created_at: Date;
  updated_at: Date;
}

const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));

app.get<{ Querystring: { limit?: string } }>('/v1/items', async (request) => {
  // Minimal parsing only: the full stack's validation is part of what is being measured.
  const requested = Number(request.query.limit ?? 50);
  const limit = Number.isInteger(requested) && requested >= 1 && requested <= 200 ? requested : 50;
  const { rows } = await pool.query<ItemRow>(PAGE_SQL, [true, limit + 1]);
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return {
    // Same field names and formats as the api's ItemDto (camelCase, ISO timestamps).
    data: page.map((r) => ({
      symbol: r.symbol,
      name: r.name,
      description: r.description,
      sector: r.sector,
      industry: r.industry,
      active: r.active,
      firstBarDate: r.first_bar_date,
      lastBarDate: r.last_bar_date,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    })),
    nextCursor: hasMore ? Buffer.from(page[page.length - 1]!.symbol, 'utf8').toString('base64url') : null,
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
