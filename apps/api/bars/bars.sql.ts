// A chart asks for up to five years of one symbol: PostgreSQL builds the whole column body (one
// indexed range scan on the price_bars primary key, symbol + date), so Node sees one text value
// instead of 1,260 row objects and sends it as is. The row from `items` tells an unknown symbol
// (no row) from a range without bars (empty columns). Newest `limit` points, returned oldest first.

/**
 * The column object of the points `p(t, o, h, l, c, v)`, which arrive sorted oldest first: each
 * aggregate takes them in that order, so the 1,260 points are sorted once rather than once per
 * column (PostgreSQL feeds a plain aggregate in the order of its sorted subquery; the e2e spec
 * compares every column with the table). Empty arrays when there are none.
 */
const COLUMNS = `
  json_build_object(
    't', coalesce(json_agg(p.t), '[]'),
    'o', coalesce(json_agg(p.o), '[]'),
    'h', coalesce(json_agg(p.h), '[]'),
    'l', coalesce(json_agg(p.l), '[]'),
    'c', coalesce(json_agg(p.c), '[]'),
    'v', coalesce(json_agg(p.v), '[]')
  )::text`;

/** $1 symbol, $2 first date or null, $3 last date or null, $4 limit. */
export const DAILY_BARS_SQL = `
  SELECT (
    SELECT ${COLUMNS}
    FROM (
      SELECT * FROM (
        SELECT date AS t, open AS o, high AS h, low AS l, close AS c, volume AS v
        FROM price_bars
        WHERE symbol = $1
          AND ($2::date IS NULL OR date >= $2)
          AND ($3::date IS NULL OR date <= $3)
        ORDER BY date DESC
        LIMIT $4
      ) newest ORDER BY t
    ) p
  ) AS body
  FROM items WHERE symbol = $1`;

/**
 * $1 symbol, $2 first date or null, $3 last date or null, $4 limit, $5 'week' | 'month'.
 * A period's point is dated by its first trading day: first open, highest high, lowest low, last
 * close, summed volume. `from`/`to` bound the daily bars that go in, so an edge period is partial.
 */
export const PERIOD_BARS_SQL = `
  SELECT (
    SELECT ${COLUMNS}
    FROM (
      SELECT * FROM (
        SELECT min(date) AS t,
               (array_agg(open ORDER BY date))[1] AS o,
               max(high) AS h,
               min(low) AS l,
               (array_agg(close ORDER BY date DESC))[1] AS c,
               sum(volume) AS v
        FROM price_bars
        WHERE symbol = $1
          AND ($2::date IS NULL OR date >= $2)
          AND ($3::date IS NULL OR date <= $3)
        GROUP BY date_trunc($5, date::timestamp)
        ORDER BY t DESC
        LIMIT $4
      ) newest ORDER BY t
    ) p
  ) AS body
  FROM items WHERE symbol = $1`;
