import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ScanHit, ScanSummary } from '#jobs';

/**
 * Writes a run's outcome. Delivery is at-least-once, so every write is idempotent, and an attempt
 * writes results only while it owns the run (start() claims, complete() checks the claim).
 */
@Injectable()
export class ScanResultsWriter {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the run for one attempt: marks it running and counts the attempt. Returns the attempt's
   * number — the fencing token complete() asks for — or null when the run is unknown or finished.
   */
  async start(scanRunId: string): Promise<number | null> {
    // TypeORM answers an UPDATE with [rows, affected], RETURNING or not.
    const [rows] = (await this.dataSource.query(
      `UPDATE scan_runs SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING attempts`,
      [scanRunId],
    )) as [{ attempts: number }[], number];
    return rows.length > 0 ? Number(rows[0]!.attempts) : null;
  }

  /**
   * Replaces the run's results and completes it in one transaction, if `attempt` still owns the run:
   * it is running and no later attempt claimed it. A worker cut off from Redis past its job's lock
   * loses the job to another worker, yet may come back and finish; its late write must neither
   * overwrite nor add to the result of the attempt that replaced it (a fencing token: the claim in
   * the run's row decides who may write, whatever each worker believes). The UPDATE goes first and
   * takes the run's row lock, so a concurrent start() or complete() waits for this transaction and
   * then sees its outcome. A re-run after a crash halfway rewrites the same rows; a failure leaves
   * nothing behind. False when fenced off: nothing was written.
   */
  async complete(
    scanRunId: string,
    attempt: number,
    hits: ScanHit[],
    summary: ScanSummary,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const [, claimed] = (await tx.query(
        `UPDATE scan_runs SET status = 'completed', summary = $3, error = NULL, completed_at = now()
         WHERE id = $1 AND attempts = $2 AND status = 'running'`,
        [scanRunId, attempt, JSON.stringify(summary)],
      )) as [unknown, number];
      if (claimed === 0) return false;
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
      return true;
    });
  }

  async fail(scanRunId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE scan_runs SET status = 'failed', error = $2, completed_at = now() WHERE id = $1 AND status <> 'completed'`,
      [scanRunId, error.slice(0, 1000)],
    );
  }
}
