// The hottest query of the api, so it skips entity hydration (and Date parsing, which costs more
// than the query) and runs as a named prepared statement straight on the pool: PostgreSQL plans
// it once per connection. Null parameters switch a filter off. Its own file, free of imports, so
// the bench's bare Fastify + pg peer runs exactly the same statement.
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** $1 active, $2 sector or null, $3 ILIKE pattern or null, $4 symbol to start after or null, $5 limit. */
export const ITEMS_PAGE_SQL = `
  SELECT symbol, name, description, sector, industry, active,
         to_char(first_bar_date, 'YYYY-MM-DD') AS "firstBarDate",
         to_char(last_bar_date, 'YYYY-MM-DD') AS "lastBarDate",
         to_char(created_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "createdAt",
         to_char(updated_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "updatedAt"
  FROM items
  WHERE active = $1
    AND ($2::varchar IS NULL OR sector = $2)
    AND ($3::text IS NULL OR symbol ILIKE $3 OR name ILIKE $3)
    AND ($4::varchar IS NULL OR symbol > $4)
  ORDER BY symbol
  LIMIT $5`;
