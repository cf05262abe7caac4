import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Deletes of the retention job on scan_runs (scan_results follow by ON DELETE CASCADE). */
@Injectable()
export class ScanRetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Deletes up to `batch` finished runs created before `cutoff`, oldest first, and returns how many.
   * One short statement per batch: the locks it takes are released before the next, so scans
   * writing results meanwhile never wait long. Queued and running runs are left to finish.
   */
  async deleteBatch(cutoff: Date, batch: number): Promise<number> {
    const [, affected] = (await this.dataSource.query(
      `DELETE FROM scan_runs WHERE id IN (
         SELECT id FROM scan_runs
         WHERE created_at < $1 AND status IN ('completed', 'failed')
         ORDER BY created_at
         LIMIT $2)`,
      [cutoff, batch],
    )) as [unknown, number];
    return affected;
  }
}
