import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Live status: the current state of each run and its append-only history. */
export class CreateTrainRuns1764300000000 implements MigrationInterface {
  name = 'CreateTrainRuns1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE run_phase AS ENUM ('SCHEDULED', 'RUNNING', 'ARRIVED', 'CANCELLED')`);
    await queryRunner.query(`
      CREATE TABLE train_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        train_id uuid NOT NULL CONSTRAINT fk_train_runs_train REFERENCES trains (id) ON DELETE CASCADE,
        service_date date NOT NULL,
        phase run_phase NOT NULL,
        delay_minutes integer NOT NULL CONSTRAINT ck_train_runs_delay CHECK (delay_minutes >= -120),
        last_stop_sequence smallint,
        departed_last_stop boolean NOT NULL,
        platform varchar(8),
        actuals jsonb NOT NULL,
        notified_delay integer NOT NULL,
        source varchar(16) NOT NULL,
        version integer NOT NULL CONSTRAINT ck_train_runs_version CHECK (version >= 1),
        updated_at timestamptz NOT NULL,
        CONSTRAINT uq_train_runs_train_date UNIQUE (train_id, service_date)
      )`);
    // Station boards and status lookups read the runs of a few service dates.
    await queryRunner.query(`CREATE INDEX ix_train_runs_service_date ON train_runs (service_date)`);
    await queryRunner.query(`
      CREATE TABLE train_run_events (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_train_run_events PRIMARY KEY,
        run_id uuid NOT NULL CONSTRAINT fk_train_run_events_run REFERENCES train_runs (id) ON DELETE CASCADE,
        version integer NOT NULL,
        recorded_at timestamptz NOT NULL,
        phase run_phase NOT NULL,
        delay_minutes integer NOT NULL,
        last_stop_sequence smallint,
        departed_last_stop boolean NOT NULL,
        platform varchar(8),
        source varchar(16) NOT NULL,
        CONSTRAINT uq_train_run_events_run_version UNIQUE (run_id, version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE train_run_events`);
    await queryRunner.query(`DROP TABLE train_runs`);
    await queryRunner.query(`DROP TYPE run_phase`);
  }
}
