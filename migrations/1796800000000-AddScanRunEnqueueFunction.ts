import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new scan run in one round trip (issue 16: the scan round trip). The api used to look for an
 * identical completed run, open a transaction, take the credential's advisory lock, count and
 * insert, commit, and then look once more for an identical run completed meanwhile: six round
 * trips to PostgreSQL per new scan.
 * `scan_run_enqueue` does the same steps in one call, with the same guarantees: it is VOLATILE
 * PL/pgSQL, so each statement after the lock sees every run committed before it (READ COMMITTED),
 * which keeps the in-flight cap exact across api processes as the separate statements did.
 *
 * Returns one row: `completed`, true when an identical run has completed on this data version
 * (nothing is inserted, or the new row is not kept: the caller answers from the stored run);
 * else `open_runs`, the credential's runs in flight before this one, and `created`, the new run's
 * created_at (null when none was inserted: capped, or an identical run in flight).
 */
export class AddScanRunEnqueueFunction1796800000000 implements MigrationInterface {
  name = 'AddScanRunEnqueueFunction1796800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION scan_run_enqueue(
        p_id uuid, p_api_key_id uuid, p_request_hash character(64), p_request jsonb,
        p_data_version integer, p_request_id character varying, p_max_in_flight integer,
        p_lock_name text)
      RETURNS TABLE (open_runs integer, created timestamptz, completed boolean)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        n integer;
        at timestamptz;
      BEGIN
        -- Stored results outlive the cache: an identical run completed on this data version answers.
        IF EXISTS (SELECT 1 FROM scan_runs r WHERE r.request_hash = p_request_hash
                     AND r.data_version = p_data_version AND r.status = 'completed') THEN
          RETURN QUERY SELECT NULL::integer, NULL::timestamptz, true;
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_name, 0));
        -- Runs older than 10 minutes are not counted: one whose job Redis lost stays queued until
        -- an identical request re-enqueues it, and must not hold its owner's place forever.
        SELECT count(*)::integer INTO n FROM scan_runs r
        WHERE r.api_key_id = p_api_key_id AND r.status IN ('queued', 'running')
          AND r.created_at > now() - interval '10 minutes';
        IF n >= p_max_in_flight THEN
          RETURN QUERY SELECT n, NULL::timestamptz, false;
          RETURN;
        END IF;
        INSERT INTO scan_runs AS r (id, api_key_id, request_hash, request, data_version, status, request_id)
        VALUES (p_id, p_api_key_id, p_request_hash, p_request, p_data_version, 'queued', p_request_id)
        ON CONFLICT (request_hash, data_version) WHERE status IN ('queued', 'running') DO NOTHING
        RETURNING r.created_at INTO at;
        IF at IS NULL THEN
          RETURN QUERY SELECT n, NULL::timestamptz, false;
          RETURN;
        END IF;
        -- The unique index covers runs in flight only: an identical run may have completed since
        -- the first look (while this call waited for the lock). Its result stands; this one goes.
        IF EXISTS (SELECT 1 FROM scan_runs r WHERE r.request_hash = p_request_hash
                     AND r.data_version = p_data_version AND r.status = 'completed') THEN
          DELETE FROM scan_runs r WHERE r.id = p_id;
          RETURN QUERY SELECT n, NULL::timestamptz, true;
          RETURN;
        END IF;
        RETURN QUERY SELECT n, at, false;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP FUNCTION scan_run_enqueue(uuid, uuid, character, jsonb, integer, character varying, integer, text)`,
    );
  }
}
