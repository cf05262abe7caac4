import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryPrepared } from '#database';
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
    const rows = await queryPrepared<{ attempts: number }>(
      this.dataSource,
      'scan-run-claim',
      `UPDATE scan_runs SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING attempts`,
      [scanRunId],
    );
    return rows.length > 0 ? Number(rows[0]!.attempts) : null;
  }

  /**
   * Replaces the run's results and completes it in one statement, if `attempt` still owns the run:
   * it is running and no later attempt claimed it. A worker cut off from Redis past its job's lock
   * loses the job to another worker, yet may come back and finish; its late write must neither
   * overwrite nor add to the result of the attempt that replaced it (a fencing token: the claim in
   * the run's row decides who may write, whatever each worker believes). The UPDATE takes the
   * run's row lock, so a concurrent start() or complete() waits for this statement and then sees
   * its outcome; the DELETE and the INSERT run only when the UPDATE claimed the row. One statement
   * is one transaction (a failure leaves nothing behind) and one round trip instead of five
   * (BEGIN, UPDATE, DELETE, INSERT, COMMIT) on every scan's critical path, prepared once per
   * connection (queryPrepared). A re-run after a crash halfway rewrites the same rows. False when
   * fenced off: nothing was written; else true, and `onCompleted` is told the completion time the
   * row now holds (the api serves it).
   */
  async complete(
    scanRunId: string,
    attempt: number,
    hits: ScanHit[],
    summary: ScanSummary,
    onCompleted?: (completedAt: Date) => void,
  ): Promise<boolean> {
    const rows = await queryPrepared<{ completed_at: Date }>(
      this.dataSource,
      'scan-run-complete',
      `WITH claimed AS (
         UPDATE scan_runs SET status = 'completed', summary = $3, error = NULL, completed_at = now()
         WHERE id = $1 AND attempts = $2 AND status = 'running'
         RETURNING completed_at),
       cleared AS (
         DELETE FROM scan_results WHERE scan_run_id = $1 AND EXISTS (SELECT 1 FROM claimed)),
       stored AS (
         INSERT INTO scan_results (scan_run_id, rank, symbol, tech_rating, signal, hit)
         SELECT $1, (h->>'rank')::int, h->>'symbol', (h->>'techRating')::float8, h->>'signal', h
         FROM jsonb_array_elements($4::jsonb) AS h
         WHERE EXISTS (SELECT 1 FROM claimed))
       SELECT completed_at FROM claimed`,
      // The hits as one JSON array: PostgreSQL parses one jsonb instead of a jsonb[] literal whose
      // every element was escaped (its bind took 0.8 ms for 25 hits). A float8 read from the JSON
      // text is the number written (JSON.stringify writes the shortest text that reads back).
      [scanRunId, attempt, JSON.stringify(summary), JSON.stringify(hits)],
    );
    if (rows.length === 0) return false;
    onCompleted?.(rows[0]!.completed_at);
    return true;
  }

  async fail(scanRunId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE scan_runs SET status = 'failed', error = $2, completed_at = now() WHERE id = $1 AND status <> 'completed'`,
      [scanRunId, error.slice(0, 1000)],
    );
  }
}
