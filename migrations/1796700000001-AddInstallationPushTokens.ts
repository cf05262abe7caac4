import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts (issue 17): the APNs device token an installation registers with
 * PUT /v1/installations/me/push, the environment it belongs to (sandbox or production) and when it
 * was set (generated from the entities, then reviewed).
 */
export class AddInstallationPushTokens1796700000001 implements MigrationInterface {
  name = 'AddInstallationPushTokens1796700000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "installations" ADD "apns_token" character varying(200)`);
    await db.query(`ALTER TABLE "installations" ADD "apns_environment" character varying(10)`);
    await db.query(
      `ALTER TABLE "installations" ADD "apns_token_updated_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "installations" DROP COLUMN "apns_token_updated_at"`);
    await db.query(`ALTER TABLE "installations" DROP COLUMN "apns_environment"`);
    await db.query(`ALTER TABLE "installations" DROP COLUMN "apns_token"`);
  }
}
