import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Station search and nearby stations are answered from the station index in memory
 * (src/stations/station-index.ts), not by SQL: the trigram, code-prefix and position indexes no
 * query uses any more go. pg_trgm stays: the tests hold the in-memory search to its functions.
 */
export class DropStationSearchIndexes1764830000000 implements MigrationInterface {
  name = 'DropStationSearchIndexes1764830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_stations_search_trgm`);
    await queryRunner.query(`DROP INDEX ix_stations_code_pattern`);
    await queryRunner.query(`DROP INDEX ix_stations_position`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_stations_position ON stations USING gist (point(longitude, latitude))`);
    await queryRunner.query(`CREATE INDEX ix_stations_code_pattern ON stations (code text_pattern_ops)`);
    await queryRunner.query(
      `CREATE INDEX ix_stations_search_trgm ON stations USING gin ((name || ' ' || coalesce(city, '')) gin_trgm_ops) WITH (fastupdate = off)`,
    );
  }
}
