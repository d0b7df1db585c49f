import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * One refresh token of a login session ("family"). Only its SHA-256 is stored. Each use
 * revokes it and issues a successor in the same family (RFC 9700 §4.14).
 */
@Entity({ name: 'refresh_tokens' })
@Unique('uq_refresh_tokens_token_hash', ['tokenHash'])
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_refresh_tokens_user_id')
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_refresh_tokens_user' })
  user?: Relation<User>;

  @Index('ix_refresh_tokens_family_id')
  @Column({ type: 'uuid' })
  familyId: string;

  /** Hex SHA-256 of the token. */
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Index('ix_refresh_tokens_expires_at')
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The token issued in exchange for this one; set means "rotated", so presenting it again is reuse. */
  @Column({ type: 'uuid', nullable: true })
  replacedBy: string | null;

  /**
   * The successor, sealed with a key only this token yields (refresh-token-secret.ts), so a
   * presentation within the grace period gets the same successor. Cleared once the period is over.
   */
  @Column({ type: 'bytea', nullable: true })
  sealedSuccessor: Buffer | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
