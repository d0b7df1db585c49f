import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Train } from '../trains/train.entity.js';
import { User } from '../users/user.entity.js';

/** A train a user follows: they get its live status and notifications. */
@Entity({ name: 'favorites' })
export class Favorite {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_favorites' })
  userId: string;

  // Tracking looks up everyone following a train.
  @Index('ix_favorites_train_id')
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_favorites' })
  trainId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_favorites_user' })
  user?: Relation<User>;

  @ManyToOne(() => Train, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'train_id', foreignKeyConstraintName: 'fk_favorites_train' })
  train?: Relation<Train>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
