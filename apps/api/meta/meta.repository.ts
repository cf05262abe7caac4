import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DataRow {
  firstBarDate: string | null;
  lastBarDate: string | null;
  version: number;
  source: string | null;
  refreshedAt: string | null;
}

/** Named queries for GET /v1/meta: small aggregates over items and the newest data_versions row. */
@Injectable()
export class MetaRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The range from the items' first/last bar dates (505 rows, not 619k bars), and the newest version. */
  async data(): Promise<DataRow> {
    const [row] = (await this.dataSource.query(
      `SELECT to_char(r.first, 'YYYY-MM-DD') AS "firstBarDate",
              to_char(r.last, 'YYYY-MM-DD') AS "lastBarDate",
              coalesce(v.id, 0) AS version, v.source,
              to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "refreshedAt"
       FROM (SELECT min(first_bar_date) AS first, max(last_bar_date) AS last FROM items WHERE active) r
       LEFT JOIN (SELECT id, source, created_at FROM data_versions ORDER BY id DESC LIMIT 1) v ON true`,
    )) as DataRow[];
    return { ...row!, version: Number(row!.version) };
  }

  /** Active instruments per sector. */
  async sectorCounts(): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(
      'SELECT sector, count(*)::int AS n FROM items WHERE active GROUP BY sector',
    )) as { sector: string; n: number }[];
    return new Map(rows.map((r) => [r.sector, r.n]));
  }
}
