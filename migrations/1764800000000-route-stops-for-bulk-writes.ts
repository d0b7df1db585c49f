import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * route_stops made cheaper to write in bulk (issue #12 part 6): the GTFS import writes a feed's
 * stops by the hundred thousand (186k for the Indian feed, 600k for a large commuter railway),
 * and in psql inserting 600,000 stops took 16 s with the table's three foreign keys and 6 s
 * without, most of the rest being its four indexes. Two changes, same guarantees:
 *
 * 1. References checked once per statement instead of once per row. A foreign key checks each
 *    inserted row on its own (an index lookup and a row lock per row and per key); statement-level
 *    triggers see all the rows of a statement at once (transition tables), so an import's check
 *    is one set-based join per parent table:
 *    - a new or changed stop must name a stop pattern of its own train, and a station; the rows
 *      it names are locked FOR KEY SHARE first, as a foreign key locks them, so a concurrent
 *      delete of one waits for the writing transaction and then finds its stops (and a stop
 *      written after such a delete committed finds its parent gone);
 *    - deleting (or truncating) stop patterns deletes their stops (ON DELETE CASCADE); deleting a
 *      train deletes its patterns by train_patterns' own foreign key, and so its stops;
 *    - a station some stop calls at cannot be deleted or truncated (ON DELETE RESTRICT);
 *    - the ids a stop refers to cannot change under it (ON UPDATE NO ACTION).
 *    Violations raise foreign_key_violation (23503) naming the constraint as before, so callers
 *    that map that error (a station delete answered 409) see no difference. fk_route_stops_train
 *    goes without replacement: the (pattern_id, train_id) reference already makes a stop's train
 *    the train of its pattern.
 * 2. Fewer indexes to fill: the primary key is the stop's natural key, (pattern_id, sequence),
 *    which was already unique (the uuid id was read by nothing, and its index took random inserts
 *    all over the tree); and train_id loses its index, since a train's stops are found through
 *    its patterns (pattern_id leads the primary key). Each cost about a fifth of a bulk insert.
 */
export class RouteStopsForBulkWrites1764800000000 implements MigrationInterface {
  name = 'RouteStopsForBulkWrites1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE route_stops
        DROP CONSTRAINT fk_route_stops_train,
        DROP CONSTRAINT fk_route_stops_pattern,
        DROP CONSTRAINT fk_route_stops_station,
        DROP CONSTRAINT route_stops_pkey,
        DROP CONSTRAINT uq_route_stops_pattern_sequence,
        ADD CONSTRAINT pk_route_stops PRIMARY KEY (pattern_id, sequence)`);
    await queryRunner.query(`ALTER TABLE route_stops DROP COLUMN id`);
    await queryRunner.query(`DROP INDEX ix_route_stops_train_id`);

    await queryRunner.query(`
      CREATE FUNCTION route_stops_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Each parent found is locked as a foreign key locks it; one found fewer than named means a
        -- stop names a row that does not exist (or was deleted by a transaction that committed first).
        IF (WITH named AS (SELECT DISTINCT pattern_id, train_id FROM new_stops),
                 found AS (SELECT 1 FROM train_patterns p JOIN named n ON p.id = n.pattern_id AND p.train_id = n.train_id FOR KEY SHARE OF p)
            SELECT (SELECT count(*) FROM named) > (SELECT count(*) FROM found)) THEN
          RAISE EXCEPTION 'a route stop names no stop pattern of its train'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_route_stops_pattern', TABLE = 'route_stops';
        END IF;
        IF (WITH named AS (SELECT DISTINCT station_id FROM new_stops),
                 found AS (SELECT 1 FROM stations s JOIN named n ON s.id = n.station_id FOR KEY SHARE OF s)
            SELECT (SELECT count(*) FROM named) > (SELECT count(*) FROM found)) THEN
          RAISE EXCEPTION 'a route stop names no station'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_route_stops_station', TABLE = 'route_stops';
        END IF;
        RETURN NULL;
      END $$`);
    // One trigger per event: a trigger with transition tables fires for one event only.
    await queryRunner.query(`
      CREATE TRIGGER tr_route_stops_references_insert AFTER INSERT ON route_stops
      REFERENCING NEW TABLE AS new_stops FOR EACH STATEMENT EXECUTE FUNCTION route_stops_check_references()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_route_stops_references_update AFTER UPDATE ON route_stops
      REFERENCING NEW TABLE AS new_stops FOR EACH STATEMENT EXECUTE FUNCTION route_stops_check_references()`);

    await queryRunner.query(`
      CREATE FUNCTION train_patterns_delete_route_stops() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          TRUNCATE route_stops;
        ELSE
          DELETE FROM route_stops rs USING old_patterns o WHERE rs.pattern_id = o.id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_train_patterns_route_stops_delete AFTER DELETE ON train_patterns
      REFERENCING OLD TABLE AS old_patterns FOR EACH STATEMENT EXECUTE FUNCTION train_patterns_delete_route_stops()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_train_patterns_route_stops_truncate AFTER TRUNCATE ON train_patterns
      FOR EACH STATEMENT EXECUTE FUNCTION train_patterns_delete_route_stops()`);

    await queryRunner.query(`
      CREATE FUNCTION stations_restrict_route_stops() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        called boolean;
      BEGIN
        -- Two statements: old_stations exists only for a DELETE.
        IF TG_OP = 'TRUNCATE' THEN
          called := EXISTS (SELECT 1 FROM route_stops);
        ELSE
          called := EXISTS (SELECT 1 FROM route_stops rs JOIN old_stations o ON o.id = rs.station_id);
        END IF;
        IF called THEN
          RAISE EXCEPTION 'a route stop still calls at a station being deleted'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_route_stops_station', TABLE = 'stations';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_stations_route_stops_delete AFTER DELETE ON stations
      REFERENCING OLD TABLE AS old_stations FOR EACH STATEMENT EXECUTE FUNCTION stations_restrict_route_stops()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_stations_route_stops_truncate BEFORE TRUNCATE ON stations
      FOR EACH STATEMENT EXECUTE FUNCTION stations_restrict_route_stops()`);

    // Ids never change in this app; these keep it so for the rows a stop refers to. Per row, but
    // the WHEN clause runs no function unless a key really changes.
    await queryRunner.query(`
      CREATE FUNCTION route_stops_keep_referenced_keys() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (TG_TABLE_NAME = 'stations' AND EXISTS (SELECT 1 FROM route_stops WHERE station_id = OLD.id))
          OR (TG_TABLE_NAME = 'train_patterns' AND EXISTS (SELECT 1 FROM route_stops WHERE pattern_id = OLD.id)) THEN
          RAISE EXCEPTION 'route stops refer to % %', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = CASE TG_TABLE_NAME WHEN 'stations' THEN 'fk_route_stops_station' ELSE 'fk_route_stops_pattern' END;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_train_patterns_route_stops_keys BEFORE UPDATE OF id, train_id ON train_patterns
      FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.train_id <> NEW.train_id) EXECUTE FUNCTION route_stops_keep_referenced_keys()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_stations_route_stops_keys BEFORE UPDATE OF id ON stations
      FOR EACH ROW WHEN (OLD.id <> NEW.id) EXECUTE FUNCTION route_stops_keep_referenced_keys()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_stations_route_stops_keys ON stations`);
    await queryRunner.query(`DROP TRIGGER tr_train_patterns_route_stops_keys ON train_patterns`);
    await queryRunner.query(`DROP FUNCTION route_stops_keep_referenced_keys()`);
    await queryRunner.query(`DROP TRIGGER tr_stations_route_stops_truncate ON stations`);
    await queryRunner.query(`DROP TRIGGER tr_stations_route_stops_delete ON stations`);
    await queryRunner.query(`DROP FUNCTION stations_restrict_route_stops()`);
    await queryRunner.query(`DROP TRIGGER tr_train_patterns_route_stops_truncate ON train_patterns`);
    await queryRunner.query(`DROP TRIGGER tr_train_patterns_route_stops_delete ON train_patterns`);
    await queryRunner.query(`DROP FUNCTION train_patterns_delete_route_stops()`);
    await queryRunner.query(`DROP TRIGGER tr_route_stops_references_update ON route_stops`);
    await queryRunner.query(`DROP TRIGGER tr_route_stops_references_insert ON route_stops`);
    await queryRunner.query(`DROP FUNCTION route_stops_check_references()`);
    await queryRunner.query(`CREATE INDEX ix_route_stops_train_id ON route_stops (train_id)`);
    await queryRunner.query(`ALTER TABLE route_stops ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid()`);
    await queryRunner.query(`
      ALTER TABLE route_stops
        DROP CONSTRAINT pk_route_stops,
        ADD CONSTRAINT route_stops_pkey PRIMARY KEY (id),
        ADD CONSTRAINT uq_route_stops_pattern_sequence UNIQUE (pattern_id, sequence),
        ADD CONSTRAINT fk_route_stops_train FOREIGN KEY (train_id) REFERENCES trains (id) ON DELETE CASCADE,
        ADD CONSTRAINT fk_route_stops_pattern FOREIGN KEY (pattern_id, train_id) REFERENCES train_patterns (id, train_id) ON DELETE CASCADE,
        ADD CONSTRAINT fk_route_stops_station FOREIGN KEY (station_id) REFERENCES stations (id) ON DELETE RESTRICT`);
  }
}
