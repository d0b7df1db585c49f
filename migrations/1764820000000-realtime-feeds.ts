import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GTFS-Realtime in and out (issue #13).
 * - Catalog: what a realtime feed names a call by. A route stop keeps the stop_id and
 *   stop_sequence of its GTFS stop_time (the app renumbers sequences 1..n and calls at the parent
 *   station); a pattern keeps how many days its service dates were moved on from the GTFS service
 *   date (a trip leaving at 24:10 leaves the next day), so a TripDescriptor's start_date maps to a run.
 * - Runs: the feed's own per-stop predictions (stop_updates, history too), and when the source's
 *   latest data on the run was produced (observed_at), for "no live data" once it is old.
 */
export class RealtimeFeeds1764820000000 implements MigrationInterface {
  name = 'RealtimeFeeds1764820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE route_stops ADD gtfs_stop_id varchar(255), ADD gtfs_stop_sequence integer`);
    await queryRunner.query(`ALTER TABLE train_patterns ADD gtfs_day_shift smallint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE train_patterns ADD CONSTRAINT ck_train_patterns_gtfs_day_shift CHECK (gtfs_day_shift BETWEEN 0 AND 30)`);
    await queryRunner.query(`ALTER TABLE train_runs ADD stop_updates jsonb NOT NULL DEFAULT '[]', ADD observed_at timestamptz`);
    await queryRunner.query(`ALTER TABLE train_run_events ADD stop_updates jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE train_run_events DROP COLUMN stop_updates`);
    await queryRunner.query(`ALTER TABLE train_runs DROP COLUMN observed_at, DROP COLUMN stop_updates`);
    await queryRunner.query(`ALTER TABLE train_patterns DROP CONSTRAINT ck_train_patterns_gtfs_day_shift`);
    await queryRunner.query(`ALTER TABLE train_patterns DROP COLUMN gtfs_day_shift`);
    await queryRunner.query(`ALTER TABLE route_stops DROP COLUMN gtfs_stop_sequence, DROP COLUMN gtfs_stop_id`);
  }
}
