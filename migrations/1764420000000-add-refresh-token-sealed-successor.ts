import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rotated refresh token keeps its successor sealed for the grace period, so two concurrent
 * refreshes of one token both get the same successor (RFC 9700 §4.14.2) instead of the loser
 * counting as reuse and ending the session.
 */
export class AddRefreshTokenSealedSuccessor1764420000000 implements MigrationInterface {
  name = 'AddRefreshTokenSealedSuccessor1764420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE refresh_tokens ADD COLUMN sealed_successor bytea`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE refresh_tokens DROP COLUMN sealed_successor`);
  }
}
