import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scan runs and their ranked results (generated from the entities, then reviewed). */
export class CreateScanTables1795410000000 implements MigrationInterface {
  name = 'CreateScanTables1795410000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE "scan_runs" ("id" uuid NOT NULL, "api_key_id" uuid NOT NULL, "viewer_key_ids" uuid array NOT NULL DEFAULT '{}', "request_hash" character(64) NOT NULL, "request" jsonb NOT NULL, "data_version" integer NOT NULL, "status" character varying(16) NOT NULL, "summary" jsonb, "error" text, "attempts" integer NOT NULL DEFAULT '0', "request_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_dfa54d6ed31827275b98e560942" PRIMARY KEY ("id"))`,
    );
    await db.query(
      `CREATE INDEX "scan_runs_completed_idx" ON "scan_runs" ("request_hash", "data_version", "completed_at") WHERE status = 'completed'`,
    );
    // At most one run of the same request on the same data version in flight: identical requests share it.
    await db.query(
      `CREATE UNIQUE INDEX "scan_runs_in_flight_uq" ON "scan_runs" ("request_hash", "data_version") WHERE status IN ('queued', 'running')`,
    );
    await db.query(
      `CREATE TABLE "scan_results" ("scan_run_id" uuid NOT NULL, "rank" integer NOT NULL, "symbol" character varying(10) NOT NULL, "tech_rating" double precision NOT NULL, "signal" character varying(16) NOT NULL, "hit" jsonb NOT NULL, CONSTRAINT "PK_07a76bfc1bad97a072996a2a9ed" PRIMARY KEY ("scan_run_id", "rank"))`,
    );
    await db.query(
      `CREATE UNIQUE INDEX "scan_results_run_symbol_uq" ON "scan_results" ("scan_run_id", "symbol")`,
    );
    await db.query(
      `ALTER TABLE "scan_results" ADD CONSTRAINT "scan_results_run_fk" FOREIGN KEY ("scan_run_id") REFERENCES "scan_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "scan_results" DROP CONSTRAINT "scan_results_run_fk"`);
    await db.query(`DROP INDEX "public"."scan_results_run_symbol_uq"`);
    await db.query(`DROP TABLE "scan_results"`);
    await db.query(`DROP INDEX "public"."scan_runs_in_flight_uq"`);
    await db.query(`DROP INDEX "public"."scan_runs_completed_idx"`);
    await db.query(`DROP TABLE "scan_runs"`);
  }
}
