import type { MigrationInterface, QueryRunner } from 'typeorm';

const NOTIFICATION_TYPES = ['DELAY', 'DEPARTED', 'ARRIVED', 'PLATFORM_CHANGE', 'CANCELLED', 'RESTORED'];
const RIDER_NOTIFICATION_TYPES = ['ARRIVING_SOON', 'DEPARTING_SOON', 'PLATFORM_AT_STATION', 'DELAY_AT_STATION', 'STOP_SKIPPED'];

/**
 * Rider alerts (issue #14): a favorite names the rider's station and what to hear about it, and
 * each alert is armed per run in `armed_alerts`, whose partial index on the due time is what the
 * tracker reads (the due alerts, and the alerts of the runs that changed), never the favorites.
 */
export class AddRiderAlerts1764810000000 implements MigrationInterface {
  name = 'AddRiderAlerts1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE favorites
        ADD COLUMN station_id uuid CONSTRAINT fk_favorites_station REFERENCES stations (id) ON DELETE SET NULL,
        ADD COLUMN before_arrival_minutes smallint CONSTRAINT ck_favorites_before_arrival CHECK (before_arrival_minutes BETWEEN 1 AND 120),
        ADD COLUMN before_departure_minutes smallint CONSTRAINT ck_favorites_before_departure CHECK (before_departure_minutes BETWEEN 1 AND 120),
        ADD COLUMN platform_change boolean NOT NULL DEFAULT false,
        ADD COLUMN delay_at_station_minutes smallint CONSTRAINT ck_favorites_delay_at_station CHECK (delay_at_station_minutes BETWEEN 1 AND 720)`);
    // Deleting a station sets its favorites' station to null: that needs them found by station.
    await queryRunner.query(`CREATE INDEX ix_favorites_station_id ON favorites (station_id)`);

    await queryRunner.query(`CREATE TYPE alert_kind AS ENUM ('ARRIVAL', 'DEPARTURE', 'PLATFORM', 'DELAY')`);
    await queryRunner.query(`
      CREATE TABLE armed_alerts (
        user_id uuid NOT NULL,
        train_id uuid NOT NULL,
        kind alert_kind NOT NULL,
        service_date date NOT NULL,
        due_at timestamptz,
        sent_count smallint NOT NULL DEFAULT 0,
        sent_expected_at timestamptz,
        revision uuid NOT NULL DEFAULT gen_random_uuid(),
        CONSTRAINT pk_armed_alerts PRIMARY KEY (user_id, train_id, kind, service_date),
        CONSTRAINT fk_armed_alerts_favorite FOREIGN KEY (user_id, train_id) REFERENCES favorites (user_id, train_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX ix_armed_alerts_due ON armed_alerts (due_at) WHERE due_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX ix_armed_alerts_run ON armed_alerts (train_id, service_date)`);

    // A new enum value cannot be used in the transaction that adds it; nothing here uses them.
    for (const type of RIDER_NOTIFICATION_TYPES) await queryRunner.query(`ALTER TYPE notification_type ADD VALUE '${type}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: the type is rebuilt without them, and the rider
    // alerts' notifications go with it.
    await queryRunner.query(`DELETE FROM notifications WHERE type::text IN (${RIDER_NOTIFICATION_TYPES.map((type) => `'${type}'`).join(', ')})`);
    await queryRunner.query(`ALTER TYPE notification_type RENAME TO notification_type_with_rider_alerts`);
    await queryRunner.query(`CREATE TYPE notification_type AS ENUM (${NOTIFICATION_TYPES.map((type) => `'${type}'`).join(', ')})`);
    await queryRunner.query(`ALTER TABLE notifications ALTER COLUMN type TYPE notification_type USING type::text::notification_type`);
    await queryRunner.query(`DROP TYPE notification_type_with_rider_alerts`);

    await queryRunner.query(`DROP TABLE armed_alerts`);
    await queryRunner.query(`DROP TYPE alert_kind`);
    await queryRunner.query(`DROP INDEX ix_favorites_station_id`);
    await queryRunner.query(`
      ALTER TABLE favorites
        DROP COLUMN station_id, DROP COLUMN before_arrival_minutes, DROP COLUMN before_departure_minutes,
        DROP COLUMN platform_change, DROP COLUMN delay_at_station_minutes`);
  }
}
