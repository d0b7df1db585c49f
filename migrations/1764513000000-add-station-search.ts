import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Other names of places and stations, both ways: a search for either name also searches the
 * other. Lower case. Current names on the left, because the catalog may carry either (the demo
 * data says Bengaluru, the 2017 timetable BANGALORE CITY JN). Kept to names people actually type:
 * renamed cities, renamed stations, old station codes, and twin cities whose main stations carry
 * the other city's name.
 */
export const STATION_ALIASES: ReadonlyArray<readonly [name: string, alias: string]> = [
  // Cities, current ↔ former or English name
  ['bengaluru', 'bangalore'],
  ['mumbai', 'bombay'],
  ['kolkata', 'calcutta'],
  ['chennai', 'madras'],
  ['pune', 'poona'],
  ['vadodara', 'baroda'],
  ['thiruvananthapuram', 'trivandrum'],
  ['kozhikode', 'calicut'],
  ['kochi', 'cochin'],
  ['mangaluru', 'mangalore'],
  ['mysuru', 'mysore'],
  ['prayagraj', 'allahabad'],
  ['kalaburagi', 'gulbarga'],
  ['belagavi', 'belgaum'],
  ['hubballi', 'hubli'],
  ['visakhapatnam', 'vizag'],
  ['visakhapatnam', 'waltair'],
  ['varanasi', 'banaras'],
  ['varanasi', 'benares'],
  ['puducherry', 'pondicherry'],
  ['gurugram', 'gurgaon'],
  ['shimla', 'simla'],
  ['nashik', 'nasik'],
  ['rajamahendravaram', 'rajahmundry'],
  ['thoothukudi', 'tuticorin'],
  ['tiruchirappalli', 'trichy'],
  ['ayodhya', 'faizabad'],
  // Twin cities: Howrah is Kolkata's main station, Secunderabad Hyderabad's
  ['kolkata', 'howrah'],
  ['hyderabad', 'secunderabad'],
  // Stations, current ↔ former name
  ['mumbai central', 'bombay central'],
  ['chennai central', 'madras central'],
  ['ksr bengaluru', 'bangalore city'],
  ['delhi junction', 'old delhi'],
  ['chhatrapati shivaji maharaj terminus', 'victoria terminus'],
  ['chhatrapati shivaji maharaj terminus', 'chhatrapati shivaji terminus'],
  ['deen dayal upadhyaya', 'mughal sarai'],
  ['deen dayal upadhyaya', 'mughalsarai'],
  ['rani kamalapati', 'habibganj'],
  // Station codes, current ↔ former (an alias term shaped like a code also matches that code)
  ['csmt', 'cstm'],
  ['csmt', 'cst'],
  ['csmt', 'vt'],
  ['mmct', 'bct'],
  ['pryj', 'ald'],
  ['ddu', 'mgs'],
  ['rkmp', 'hbj'],
  ['vglj', 'jhs'],
];

/**
 * Station search (pg_trgm: typo-tolerant name and city matching, and the aliases above) and
 * nearby stations (a GiST index on the stations' positions, for bounding-box prefilters).
 */
export class AddStationSearch1764513000000 implements MigrationInterface {
  name = 'AddStationSearch1764513000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // Every word of a search must be in the name or the city, by strict word similarity (<<%)
    // or substring (ILIKE): one trigram index over both, so a search is one bitmap per word and
    // the planner prefers it to a scan (which would run the trigram functions on every row; the
    // planner costs them like an addition). fastupdate off: a pending list would be scanned by
    // every search until a vacuum merged it, and PGlite runs no autovacuum. The lower(name)
    // prefix index it replaces served only the old substring search.
    await queryRunner.query(`DROP INDEX ix_stations_lower_name`);
    await queryRunner.query(
      `CREATE INDEX ix_stations_search_trgm ON stations USING gin ((name || ' ' || city) gin_trgm_ops) WITH (fastupdate = off)`,
    );
    // Code prefixes (LIKE 'ND%'): the unique index on code cannot serve LIKE outside the C collation.
    await queryRunner.query(`CREATE INDEX ix_stations_code_pattern ON stations (code text_pattern_ops)`);
    // Stations in a latitude/longitude box (point <@ box), the prefilter of a radius search.
    // Built-in geometry rather than the cube + earthdistance extensions (which PGlite also ships):
    // two fewer extensions, whose functions find each other through search_path (a known trap
    // when a dump restores an index on ll_to_earth()), and the exact distance is computed
    // afterwards anyway.
    await queryRunner.query(`CREATE INDEX ix_stations_position ON stations USING gist (point(longitude, latitude))`);

    await queryRunner.query(`
      CREATE TABLE station_aliases (
        name varchar(60) NOT NULL CONSTRAINT ck_station_aliases_name CHECK (name ~ '^[a-z0-9]+( [a-z0-9]+)*$'),
        alias varchar(60) NOT NULL CONSTRAINT ck_station_aliases_alias CHECK (alias ~ '^[a-z0-9]+( [a-z0-9]+)*$'),
        CONSTRAINT pk_station_aliases PRIMARY KEY (name, alias),
        CONSTRAINT ck_station_aliases_distinct CHECK (name <> alias)
      )`);
    await queryRunner.query(
      `INSERT INTO station_aliases (name, alias) SELECT * FROM unnest($1::varchar[], $2::varchar[])`,
      [STATION_ALIASES.map(([name]) => name), STATION_ALIASES.map(([, alias]) => alias)],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE station_aliases`);
    await queryRunner.query(`DROP INDEX ix_stations_position`);
    await queryRunner.query(`DROP INDEX ix_stations_code_pattern`);
    await queryRunner.query(`DROP INDEX ix_stations_search_trgm`);
    await queryRunner.query(`CREATE INDEX ix_stations_lower_name ON stations (lower(name) text_pattern_ops)`);
    await queryRunner.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
