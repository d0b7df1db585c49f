import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stations, trains and their routes (the catalog). */
export class CreateCatalog1764000000000 implements MigrationInterface {
  name = 'CreateCatalog1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(8) NOT NULL CONSTRAINT uq_stations_code UNIQUE CONSTRAINT ck_stations_code CHECK (code ~ '^[A-Z][A-Z0-9]{0,7}$'),
        name varchar(120) NOT NULL,
        city varchar(80) NOT NULL,
        state varchar(80) NOT NULL,
        latitude double precision CONSTRAINT ck_stations_latitude CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CONSTRAINT ck_stations_longitude CHECK (longitude BETWEEN -180 AND 180),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Name search is a case-insensitive substring match.
    await queryRunner.query(`CREATE INDEX ix_stations_lower_name ON stations (lower(name) text_pattern_ops)`);

    await queryRunner.query(`
      CREATE TYPE train_type AS ENUM (
        'RAJDHANI', 'SHATABDI', 'DURONTO', 'VANDE_BHARAT', 'GARIB_RATH', 'HUMSAFAR', 'TEJAS',
        'SUPERFAST', 'EXPRESS', 'MAIL', 'PASSENGER'
      )`);
    await queryRunner.query(`
      CREATE TABLE trains (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number varchar(8) NOT NULL CONSTRAINT uq_trains_number UNIQUE CONSTRAINT ck_trains_number CHECK (number ~ '^[0-9]{4,6}$'),
        name varchar(120) NOT NULL,
        type train_type NOT NULL,
        runs_on text[] NOT NULL CONSTRAINT ck_trains_runs_on CHECK (
          cardinality(runs_on) BETWEEN 1 AND 7
          AND runs_on <@ ARRAY['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']::text[]
        ),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_trains_lower_name ON trains (lower(name) text_pattern_ops)`);

    await queryRunner.query(`
      CREATE TABLE route_stops (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        train_id uuid NOT NULL CONSTRAINT fk_route_stops_train REFERENCES trains (id) ON DELETE CASCADE,
        station_id uuid NOT NULL CONSTRAINT fk_route_stops_station REFERENCES stations (id) ON DELETE RESTRICT,
        sequence smallint NOT NULL CONSTRAINT ck_route_stops_sequence CHECK (sequence >= 1),
        arrival_minute smallint CONSTRAINT ck_route_stops_arrival_minute CHECK (arrival_minute BETWEEN 0 AND 1439),
        arrival_day smallint CONSTRAINT ck_route_stops_arrival_day CHECK (arrival_day BETWEEN 0 AND 6),
        departure_minute smallint CONSTRAINT ck_route_stops_departure_minute CHECK (departure_minute BETWEEN 0 AND 1439),
        departure_day smallint CONSTRAINT ck_route_stops_departure_day CHECK (departure_day BETWEEN 0 AND 6),
        distance_km integer NOT NULL CONSTRAINT ck_route_stops_distance CHECK (distance_km >= 0),
        platform varchar(8),
        CONSTRAINT uq_route_stops_train_sequence UNIQUE (train_id, sequence),
        CONSTRAINT uq_route_stops_train_station UNIQUE (train_id, station_id),
        CONSTRAINT ck_route_stops_arrival_pair CHECK ((arrival_minute IS NULL) = (arrival_day IS NULL)),
        CONSTRAINT ck_route_stops_departure_pair CHECK ((departure_minute IS NULL) = (departure_day IS NULL)),
        CONSTRAINT ck_route_stops_has_time CHECK (arrival_minute IS NOT NULL OR departure_minute IS NOT NULL),
        CONSTRAINT ck_route_stops_departs_after_arrival CHECK (
          arrival_minute IS NULL OR departure_minute IS NULL
          OR departure_day * 1440 + departure_minute >= arrival_day * 1440 + arrival_minute
        )
      )`);
    // (train_id, sequence) is covered by its unique constraint; trains calling at a station need this one.
    await queryRunner.query(`CREATE INDEX ix_route_stops_station_id ON route_stops (station_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE route_stops`);
    await queryRunner.query(`DROP TABLE trains`);
    await queryRunner.query(`DROP TYPE train_type`);
    await queryRunner.query(`DROP TABLE stations`);
  }
}
