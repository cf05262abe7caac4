import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Watches and their alerts (issue 17), generated from the entities, then reviewed. The UNIQUE
 * (watch_id, data_version, kind, symbol) is what makes a retried evaluation unable to record a
 * change twice; (installation_id, id) serves GET /v1/alerts' keyset pages.
 */
export class CreateWatchesAndAlerts1796700000000 implements MigrationInterface {
  name = 'CreateWatchesAndAlerts1796700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE "watches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "installation_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "request" jsonb NOT NULL, "request_hash" character(64) NOT NULL, "notify" jsonb NOT NULL, "last_data_version" integer, "last_result" jsonb, "last_evaluated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "watches_pk" PRIMARY KEY ("id"))`,
    );
    await db.query(`CREATE INDEX "watches_request_hash_idx" ON "watches" ("request_hash")`);
    await db.query(`CREATE INDEX "watches_installation_idx" ON "watches" ("installation_id")`);
    await db.query(
      `CREATE TABLE "alerts" ("id" BIGSERIAL NOT NULL, "watch_id" uuid NOT NULL, "installation_id" uuid NOT NULL, "data_version" integer NOT NULL, "kind" character varying(16) NOT NULL, "symbol" character varying(10) NOT NULL, "before" jsonb, "after" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ws_published_at" TIMESTAMP WITH TIME ZONE, "push_state" character varying(16), "pushed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "alerts_watch_version_kind_symbol_uq" UNIQUE ("watch_id", "data_version", "kind", "symbol"), CONSTRAINT "alerts_pk" PRIMARY KEY ("id"))`,
    );
    await db.query(
      `CREATE INDEX "alerts_installation_id_idx" ON "alerts" ("installation_id", "id")`,
    );
    await db.query(
      `ALTER TABLE "watches" ADD CONSTRAINT "watches_installation_fk" FOREIGN KEY ("installation_id") REFERENCES "installations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await db.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_watch_fk" FOREIGN KEY ("watch_id") REFERENCES "watches"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "alerts" DROP CONSTRAINT "alerts_watch_fk"`);
    await db.query(`ALTER TABLE "watches" DROP CONSTRAINT "watches_installation_fk"`);
    await db.query(`DROP INDEX "public"."alerts_installation_id_idx"`);
    await db.query(`DROP TABLE "alerts"`);
    await db.query(`DROP INDEX "public"."watches_installation_idx"`);
    await db.query(`DROP INDEX "public"."watches_request_hash_idx"`);
    await db.query(`DROP TABLE "watches"`);
  }
}
