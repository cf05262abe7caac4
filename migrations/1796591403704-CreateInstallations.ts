import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A credential per installation (issue 11): app keys' grants, the installations table whose
 * tokens they register, and the index that counts a credential's scans in flight (generated from
 * the entities, then reviewed).
 */
export class CreateInstallations1796591403704 implements MigrationInterface {
  name = 'CreateInstallations1796591403704';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "api_keys" ADD "grants" text array NOT NULL DEFAULT '{}'`);
    await db.query(
      `CREATE TABLE "installations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "app_key_id" uuid NOT NULL, "prefix" character varying(16) NOT NULL, "token_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_e57c6cd7769bbbc8e3fe9270cb3" UNIQUE ("prefix"), CONSTRAINT "UQ_52a3407f26c8ca526da6eacc63c" UNIQUE ("token_hash"), CONSTRAINT "PK_21c7fb94d81eca7a66e64bd2b7f" PRIMARY KEY ("id"))`,
    );
    await db.query(
      `CREATE INDEX "installations_app_key_idx" ON "installations" ("app_key_id", "created_at")`,
    );
    await db.query(
      `CREATE INDEX "scan_runs_in_flight_key_idx" ON "scan_runs" ("api_key_id") WHERE status IN ('queued', 'running')`,
    );
    await db.query(
      `ALTER TABLE "installations" ADD CONSTRAINT "installations_app_key_fk" FOREIGN KEY ("app_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "installations" DROP CONSTRAINT "installations_app_key_fk"`);
    await db.query(`DROP INDEX "public"."installations_app_key_idx"`);
    await db.query(`DROP TABLE "installations"`);
    await db.query(`DROP INDEX "public"."scan_runs_in_flight_key_idx"`);
    await db.query(`ALTER TABLE "api_keys" DROP COLUMN "grants"`);
  }
}
