import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What is each user's: followed trains and notifications about them. */
export class CreateFavoritesAndNotifications1764200000000 implements MigrationInterface {
  name = 'CreateFavoritesAndNotifications1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE favorites (
        user_id uuid NOT NULL CONSTRAINT fk_favorites_user REFERENCES users (id) ON DELETE CASCADE,
        train_id uuid NOT NULL CONSTRAINT fk_favorites_train REFERENCES trains (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_favorites PRIMARY KEY (user_id, train_id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_favorites_train_id ON favorites (train_id)`);

    await queryRunner.query(`
      CREATE TYPE notification_type AS ENUM ('DELAY', 'DEPARTED', 'ARRIVED', 'PLATFORM_CHANGE', 'CANCELLED', 'RESTORED')`);
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL CONSTRAINT fk_notifications_user REFERENCES users (id) ON DELETE CASCADE,
        type notification_type NOT NULL,
        train_id uuid NOT NULL CONSTRAINT fk_notifications_train REFERENCES trains (id) ON DELETE CASCADE,
        run_date date NOT NULL,
        title varchar(200) NOT NULL,
        body text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        event_key varchar(200) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        read_at timestamptz,
        CONSTRAINT uq_notifications_user_event UNIQUE (user_id, event_key)
      )`);
    // The inbox (newest first, keyset) and the unread badge.
    await queryRunner.query(`CREATE INDEX ix_notifications_user_created ON notifications (user_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX ix_notifications_user_unread ON notifications (user_id) WHERE read_at IS NULL`);
    await queryRunner.query(`CREATE INDEX ix_notifications_train_id ON notifications (train_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications`);
    await queryRunner.query(`DROP TYPE notification_type`);
    await queryRunner.query(`DROP TABLE favorites`);
  }
}
