import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key's scan history (GET /v1/scans, newest first) and the retention job's oldest-first batches
 * read scan_runs by creation time (generated from the entities, then reviewed).
 */
export class AddScanHistoryIndexes1795420000000 implements MigrationInterface {
  name = 'AddScanHistoryIndexes1795420000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX "scan_runs_created_idx" ON "scan_runs" ("created_at") `);
    await db.query(
      `CREATE INDEX "scan_runs_key_created_idx" ON "scan_runs" ("api_key_id", "created_at") `,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "public"."scan_runs_key_created_idx"`);
    await db.query(`DROP INDEX "public"."scan_runs_created_idx"`);
  }
}
