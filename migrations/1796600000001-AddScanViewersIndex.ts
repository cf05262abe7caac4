import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The viewer side of GET /v1/scans: runs a key joined or was answered from the cache are found by
 * `viewer_key_ids @> ARRAY[key]`, which a GIN index serves (a btree cannot look inside an array).
 */
export class AddScanViewersIndex1796600000001 implements MigrationInterface {
  name = 'AddScanViewersIndex1796600000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX "scan_runs_viewers_idx" ON "scan_runs" USING gin ("viewer_key_ids")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "public"."scan_runs_viewers_idx"`);
  }
}
