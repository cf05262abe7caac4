import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Limits by cost (issue 11): a key's own rate-limit overrides (`keys create --limit`), and the
 * usage columns `keys list` and `installations list` show, written at most once a minute per
 * credential (generated from the entities, then reviewed).
 */
export class AddCredentialLimitsAndUsage1796600000000 implements MigrationInterface {
  name = 'AddCredentialLimitsAndUsage1796600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "api_keys" ADD "limits" jsonb NOT NULL DEFAULT '{}'`);
    for (const table of ['api_keys', 'installations']) {
      await db.query(`ALTER TABLE "${table}" ADD "last_used_at" TIMESTAMP WITH TIME ZONE`);
      await db.query(`ALTER TABLE "${table}" ADD "requests_day" date`);
      await db.query(`ALTER TABLE "${table}" ADD "requests_today" integer NOT NULL DEFAULT '0'`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['installations', 'api_keys']) {
      await db.query(`ALTER TABLE "${table}" DROP COLUMN "requests_today"`);
      await db.query(`ALTER TABLE "${table}" DROP COLUMN "requests_day"`);
      await db.query(`ALTER TABLE "${table}" DROP COLUMN "last_used_at"`);
    }
    await db.query(`ALTER TABLE "api_keys" DROP COLUMN "limits"`);
  }
}
