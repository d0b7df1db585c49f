import type { MigrationInterface, QueryRunner } from 'typeorm';

const WEEKDAYS_ARRAY = `ARRAY['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']::text[]`;
/** A text[] of ISO dates (YYYY-MM-DD); each must also be a real date (the cast to date[] checks that). */
const isoDates = (column: string) => `array_to_string(${column}, ',') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}(,|$))*$' AND ${column}::date[] IS NOT NULL`;

/**
 * Real timetables (issue #12): the catalog grows where GTFS feeds need it.
 * - feeds and agencies: where imported rows come from, and each agency's time zone;
 * - stations: codes as real feeds write them (LIRR's `157`, Sound Transit's `TL_STDIST`), city
 *   and state optional (GTFS has neither: station search then matches the name alone), platforms
 *   of their own, the feed and stop they came from;
 * - trains: numbers of 1-8 digits (LIRR's `21`), the time zone of their times, agency and feed;
 *   `runs_on` stays as the summary of the train's days (empty when unknown), with `days_known`;
 * - train_patterns: a train's stop pattern and the dates it runs (weekday rule, validity, added
 *   and removed dates): one train may run different stops on different dates;
 * - route_stops belong to a pattern (and still name their train); a train may call at a station
 *   twice, and journeys may last more than a week (day offsets up to 30).
 * Every existing train gets one pattern with its weekdays, so the catalog means what it meant.
 */
export class TimetablesFromFeeds1764600000000 implements MigrationInterface {
  name = 'TimetablesFromFeeds1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE feeds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL CONSTRAINT uq_feeds_code UNIQUE CONSTRAINT ck_feeds_code CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
        name varchar(200) NOT NULL,
        version varchar(100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE agencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        feed_id uuid NOT NULL CONSTRAINT fk_agencies_feed REFERENCES feeds (id) ON DELETE CASCADE,
        gtfs_id varchar(255) NOT NULL,
        name varchar(200) NOT NULL,
        url varchar(500) NOT NULL,
        time_zone varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_agencies_feed_gtfs_id UNIQUE (feed_id, gtfs_id)
      )`);

    await queryRunner.query(`ALTER TABLE stations DROP CONSTRAINT ck_stations_code`);
    await queryRunner.query(`
      ALTER TABLE stations
        ALTER COLUMN code TYPE varchar(16),
        ADD CONSTRAINT ck_stations_code CHECK (code ~ '^[A-Z0-9][A-Z0-9_.-]{0,15}$'),
        ALTER COLUMN city DROP NOT NULL,
        ALTER COLUMN state DROP NOT NULL,
        ADD COLUMN feed_id uuid CONSTRAINT fk_stations_feed REFERENCES feeds (id),
        ADD COLUMN gtfs_id varchar(255),
        ADD CONSTRAINT uq_stations_feed_gtfs_id UNIQUE (feed_id, gtfs_id)`);
    // Station search matches name and city as one text (AddStationSearch); a station without a city is its name alone.
    await queryRunner.query(`DROP INDEX ix_stations_search_trgm`);
    await queryRunner.query(
      `CREATE INDEX ix_stations_search_trgm ON stations USING gin ((name || ' ' || coalesce(city, '')) gin_trgm_ops) WITH (fastupdate = off)`,
    );
    await queryRunner.query(`
      CREATE TABLE platforms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        station_id uuid NOT NULL CONSTRAINT fk_platforms_station REFERENCES stations (id) ON DELETE CASCADE,
        gtfs_id varchar(255),
        name varchar(16),
        latitude double precision CONSTRAINT ck_platforms_latitude CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CONSTRAINT ck_platforms_longitude CHECK (longitude BETWEEN -180 AND 180),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_platforms_station_gtfs_id UNIQUE (station_id, gtfs_id),
        CONSTRAINT ck_platforms_named CHECK (gtfs_id IS NOT NULL OR name IS NOT NULL)
      )`);

    // New values of an enum cannot be used in the transaction that adds them; nothing here does.
    for (const type of ['RAIL', 'LIGHT_RAIL', 'METRO', 'OTHER']) await queryRunner.query(`ALTER TYPE train_type ADD VALUE '${type}'`);
    await queryRunner.query(`ALTER TABLE trains DROP CONSTRAINT ck_trains_number, DROP CONSTRAINT ck_trains_runs_on`);
    await queryRunner.query(`
      ALTER TABLE trains
        ADD CONSTRAINT ck_trains_number CHECK (number ~ '^[0-9]{1,8}$'),
        ADD CONSTRAINT ck_trains_runs_on CHECK (runs_on <@ ${WEEKDAYS_ARRAY}),
        ADD COLUMN days_known boolean NOT NULL DEFAULT true,
        ADD COLUMN time_zone varchar(64) NOT NULL DEFAULT 'Asia/Kolkata',
        ADD COLUMN agency_id uuid CONSTRAINT fk_trains_agency REFERENCES agencies (id) ON DELETE SET NULL,
        ADD COLUMN feed_id uuid CONSTRAINT fk_trains_feed REFERENCES feeds (id)`);
    // Existing trains are Indian (the demo catalog); new ones always say their zone and whether their days are known.
    await queryRunner.query(`ALTER TABLE trains ALTER COLUMN days_known DROP DEFAULT, ALTER COLUMN time_zone DROP DEFAULT`);
    await queryRunner.query(`CREATE INDEX ix_trains_feed_id ON trains (feed_id)`);
    await queryRunner.query(`CREATE INDEX ix_stations_feed_id ON stations (feed_id)`);

    await queryRunner.query(`
      CREATE TABLE train_patterns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        train_id uuid NOT NULL CONSTRAINT fk_train_patterns_train REFERENCES trains (id) ON DELETE CASCADE,
        gtfs_trip_id varchar(255),
        headsign varchar(200),
        runs_on text[] NOT NULL CONSTRAINT ck_train_patterns_runs_on CHECK (runs_on <@ ${WEEKDAYS_ARRAY}),
        valid_from date,
        valid_to date,
        added_dates text[] NOT NULL CONSTRAINT ck_train_patterns_added_dates CHECK (${isoDates('added_dates')}),
        removed_dates text[] NOT NULL CONSTRAINT ck_train_patterns_removed_dates CHECK (${isoDates('removed_dates')}),
        days_known boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_train_patterns_train_trip UNIQUE (train_id, gtfs_trip_id),
        CONSTRAINT uq_train_patterns_id_train UNIQUE (id, train_id),
        CONSTRAINT ck_train_patterns_validity CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
      )`);
    await queryRunner.query(`
      INSERT INTO train_patterns (train_id, runs_on, added_dates, removed_dates, days_known)
      SELECT id, runs_on, '{}', '{}', true FROM trains`);

    await queryRunner.query(`ALTER TABLE route_stops ADD COLUMN pattern_id uuid`);
    await queryRunner.query(`UPDATE route_stops rs SET pattern_id = p.id FROM train_patterns p WHERE p.train_id = rs.train_id`);
    await queryRunner.query(`
      ALTER TABLE route_stops
        ALTER COLUMN pattern_id SET NOT NULL,
        DROP CONSTRAINT uq_route_stops_train_sequence,
        DROP CONSTRAINT uq_route_stops_train_station,
        DROP CONSTRAINT ck_route_stops_arrival_day,
        DROP CONSTRAINT ck_route_stops_departure_day,
        ADD CONSTRAINT ck_route_stops_arrival_day CHECK (arrival_day BETWEEN 0 AND 30),
        ADD CONSTRAINT ck_route_stops_departure_day CHECK (departure_day BETWEEN 0 AND 30),
        ALTER COLUMN platform TYPE varchar(16),
        ADD CONSTRAINT uq_route_stops_pattern_sequence UNIQUE (pattern_id, sequence),
        ADD CONSTRAINT fk_route_stops_pattern FOREIGN KEY (pattern_id, train_id) REFERENCES train_patterns (id, train_id) ON DELETE CASCADE`);
    await queryRunner.query(`CREATE INDEX ix_route_stops_train_id ON route_stops (train_id)`);

    // Platforms as feeds name them ("Track 12A") reach the live state too.
    await queryRunner.query(`ALTER TABLE train_runs ALTER COLUMN platform TYPE varchar(16)`);
    await queryRunner.query(`ALTER TABLE train_run_events ALTER COLUMN platform TYPE varchar(16)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE train_run_events ALTER COLUMN platform TYPE varchar(8)`);
    await queryRunner.query(`ALTER TABLE train_runs ALTER COLUMN platform TYPE varchar(8)`);
    // Back to one route per train: its first pattern's (the others' stops are lost).
    await queryRunner.query(`
      DELETE FROM route_stops rs WHERE rs.pattern_id <> (
        SELECT p.id FROM train_patterns p WHERE p.train_id = rs.train_id ORDER BY p.created_at, p.id LIMIT 1)`);
    await queryRunner.query(`DROP INDEX ix_route_stops_train_id`);
    await queryRunner.query(`
      ALTER TABLE route_stops
        DROP CONSTRAINT fk_route_stops_pattern,
        DROP CONSTRAINT uq_route_stops_pattern_sequence,
        DROP COLUMN pattern_id,
        ALTER COLUMN platform TYPE varchar(8),
        DROP CONSTRAINT ck_route_stops_arrival_day,
        DROP CONSTRAINT ck_route_stops_departure_day,
        ADD CONSTRAINT ck_route_stops_arrival_day CHECK (arrival_day BETWEEN 0 AND 6),
        ADD CONSTRAINT ck_route_stops_departure_day CHECK (departure_day BETWEEN 0 AND 6),
        ADD CONSTRAINT uq_route_stops_train_sequence UNIQUE (train_id, sequence),
        ADD CONSTRAINT uq_route_stops_train_station UNIQUE (train_id, station_id)`);
    await queryRunner.query(`DROP TABLE train_patterns`);

    await queryRunner.query(`DROP INDEX ix_stations_feed_id`);
    await queryRunner.query(`DROP INDEX ix_trains_feed_id`);
    await queryRunner.query(`
      ALTER TABLE trains
        DROP CONSTRAINT ck_trains_number,
        DROP CONSTRAINT ck_trains_runs_on,
        DROP COLUMN days_known,
        DROP COLUMN time_zone,
        DROP COLUMN agency_id,
        DROP COLUMN feed_id,
        ADD CONSTRAINT ck_trains_number CHECK (number ~ '^[0-9]{4,6}$'),
        ADD CONSTRAINT ck_trains_runs_on CHECK (cardinality(runs_on) BETWEEN 1 AND 7 AND runs_on <@ ${WEEKDAYS_ARRAY})`);
    // PostgreSQL cannot drop enum values: the type is rebuilt without them.
    await queryRunner.query(`ALTER TYPE train_type RENAME TO train_type_with_feeds`);
    await queryRunner.query(`
      CREATE TYPE train_type AS ENUM (
        'RAJDHANI', 'SHATABDI', 'DURONTO', 'VANDE_BHARAT', 'GARIB_RATH', 'HUMSAFAR', 'TEJAS',
        'SUPERFAST', 'EXPRESS', 'MAIL', 'PASSENGER'
      )`);
    await queryRunner.query(`ALTER TABLE trains ALTER COLUMN type TYPE train_type USING type::text::train_type`);
    await queryRunner.query(`DROP TYPE train_type_with_feeds`);

    await queryRunner.query(`DROP TABLE platforms`);
    await queryRunner.query(`DROP INDEX ix_stations_search_trgm`);
    await queryRunner.query(`
      ALTER TABLE stations
        DROP CONSTRAINT uq_stations_feed_gtfs_id,
        DROP COLUMN feed_id,
        DROP COLUMN gtfs_id,
        ALTER COLUMN city SET NOT NULL,
        ALTER COLUMN state SET NOT NULL,
        DROP CONSTRAINT ck_stations_code,
        ALTER COLUMN code TYPE varchar(8),
        ADD CONSTRAINT ck_stations_code CHECK (code ~ '^[A-Z][A-Z0-9]{0,7}$')`);
    await queryRunner.query(`CREATE INDEX ix_stations_search_trgm ON stations USING gin ((name || ' ' || city) gin_trgm_ops) WITH (fastupdate = off)`);
    await queryRunner.query(`DROP TABLE agencies`);
    await queryRunner.query(`DROP TABLE feeds`);
  }
}
