import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ScanHit, ScanSummary } from '#jobs';

/** Writes a run's outcome. Delivery is at-least-once, so every write is idempotent. */
@Injectable()
export class ScanResultsWriter {
  constructor(private readonly dataSource: DataSource) {}

  /** Marks the run running and counts the attempt; false when the run is unknown or already finished. */
  async start(scanRunId: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE scan_runs SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [scanRunId],
    );
    return (result as unknown[]).length > 0;
  }

  /**
   * Replaces the run's results and completes it in one transaction: a re-run after a crash halfway
   * rewrites the same rows, and a failure leaves nothing behind.
   */
  async complete(scanRunId: string, hits: ScanHit[], summary: ScanSummary): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query('DELETE FROM scan_results WHERE scan_run_id = $1', [scanRunId]);
      if (hits.length > 0) {
        await tx.query(
          `INSERT INTO scan_results (scan_run_id, rank, symbol, tech_rating, signal, hit)
           SELECT $1, * FROM unnest($2::int[], $3::varchar[], $4::float8[], $5::varchar[], $6::jsonb[])`,
          [
            scanRunId,
            hits.map((h) => h.rank),
            hits.map((h) => h.symbol),
            hits.map((h) => h.techRating),
            hits.map((h) => h.signal),
            hits.map((h) => JSON.stringify(h)),
          ],
        );
      }
      await tx.query(
        `UPDATE scan_runs SET status = 'completed', summary = $2, error = NULL, completed_at = now() WHERE id = $1`,
        [scanRunId, JSON.stringify(summary)],
      );
    });
  }

  async fail(scanRunId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE scan_runs SET status = 'failed', error = $2, completed_at = now() WHERE id = $1 AND status <> 'completed'`,
      [scanRunId, error.slice(0, 1000)],
    );
  }
}
