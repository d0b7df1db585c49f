import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables the in-memory timetable is built from: a write to any of them is a new catalog version. */
const CATALOG_TABLES = ['feeds', 'agencies', 'stations', 'trains', 'train_patterns', 'route_stops'];

/**
 * A catalog version (issue #12 part 5): one counter, bumped by a statement-level trigger on each
 * catalog table, so every writer (the GTFS import, admin catalog writes, a psql session) moves it
 * without remembering to. Instances poll it (one indexed single-row read) and reload their
 * timetable only when it moved, instead of every minute. Per statement, not per row: an import
 * of 186k stops bumps it a handful of times, not 186k.
 */
export class AddCatalogVersion1764700000000 implements MigrationInterface {
  name = 'AddCatalogVersion1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalog_version (
        id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT ck_catalog_version_single CHECK (id = 1),
        version bigint NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO catalog_version (id) VALUES (1)`);
    await queryRunner.query(`
      CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE catalog_version SET version = version + 1, updated_at = now() WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const table of CATALOG_TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER tr_${table}_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of CATALOG_TABLES) await queryRunner.query(`DROP TRIGGER tr_${table}_catalog_version ON ${table}`);
    await queryRunner.query(`DROP FUNCTION bump_catalog_version()`);
    await queryRunner.query(`DROP TABLE catalog_version`);
  }
}
