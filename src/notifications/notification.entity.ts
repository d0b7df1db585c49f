import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { Train } from '../trains/train.entity.js';
import { User } from '../users/user.entity.js';
import { NOTIFICATION_TYPES, type NotificationType } from './notification-type.js';

@Entity({ name: 'notifications' })
// One notification per user and event: a retried event cannot notify twice.
@Unique('uq_notifications_user_event', ['userId', 'eventKey'])
@Index('ix_notifications_user_created', { synchronize: false })
@Index('ix_notifications_user_unread', { synchronize: false })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_notifications_user' })
  user?: Relation<User>;

  @Column({ type: 'enum', enum: NOTIFICATION_TYPES, enumName: 'notification_type' })
  type: NotificationType;

  @Index('ix_notifications_train_id')
  @Column({ type: 'uuid' })
  trainId: string;

  @ManyToOne(() => Train, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'train_id', foreignKeyConstraintName: 'fk_notifications_train' })
  train?: Relation<Train>;

  /** Service date of the train run the notification is about (YYYY-MM-DD). */
  @Column({ type: 'date' })
  runDate: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  /** Natural key of the event, e.g. "12951:2026-11-24:DELAY:30". */
  @Column({ type: 'varchar', length: 200 })
  eventKey: string;

  // Millisecond precision, so a timestamp round-trips through JavaScript and cursors exactly.
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
