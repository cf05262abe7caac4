import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Items, price bars, data versions and API keys (generated from the entities, then reviewed). */
export class CreateCoreTables1795400000000 implements MigrationInterface {
  name = 'CreateCoreTables1795400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE "items" ("symbol" character varying(10) NOT NULL, "name" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "sector" character varying(64) NOT NULL, "industry" character varying(128), "active" boolean NOT NULL DEFAULT true, "first_bar_date" date, "last_bar_date" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b32500ef22a6a8bf09e771007bd" PRIMARY KEY ("symbol"))`,
    );
    await db.query(`CREATE INDEX "items_sector_symbol_idx" ON "items" ("sector", "symbol")`);
    await db.query(
      `CREATE TABLE "price_bars" ("symbol" character varying(10) NOT NULL, "date" date NOT NULL, "open" double precision NOT NULL, "high" double precision NOT NULL, "low" double precision NOT NULL, "close" double precision NOT NULL, "volume" bigint NOT NULL, CONSTRAINT "PK_485c7749b9a408401a8a12aeecf" PRIMARY KEY ("symbol", "date"))`,
    );
    await db.query(
      `ALTER TABLE "price_bars" ADD CONSTRAINT "price_bars_symbol_fk" FOREIGN KEY ("symbol") REFERENCES "items"("symbol") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await db.query(
      `CREATE TABLE "data_versions" ("id" SERIAL NOT NULL, "source" character varying(32) NOT NULL, "checksum" character varying(64) NOT NULL, "symbols" integer NOT NULL, "bars" integer NOT NULL, "report" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5cc253399d3471daa779658886a" PRIMARY KEY ("id"))`,
    );
    await db.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "prefix" character varying(16) NOT NULL, "key_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d" UNIQUE ("prefix"), CONSTRAINT "UQ_57384430aa1959f4578046c9b81" UNIQUE ("key_hash"), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "api_keys"`);
    await db.query(`DROP TABLE "data_versions"`);
    await db.query(`ALTER TABLE "price_bars" DROP CONSTRAINT "price_bars_symbol_fk"`);
    await db.query(`DROP TABLE "price_bars"`);
    await db.query(`DROP INDEX "public"."items_sector_symbol_idx"`);
    await db.query(`DROP TABLE "items"`);
  }
}
