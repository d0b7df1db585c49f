import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Station } from '../stations/station.entity.js';
import { Train } from '../trains/train.entity.js';
import { User } from '../users/user.entity.js';
import { AlertSettings } from './alert-settings.js';

/** A train a user follows: they get its live status and notifications, and alerts about their station. */
@Entity({ name: 'favorites' })
@Check('ck_favorites_before_arrival', 'before_arrival_minutes BETWEEN 1 AND 120')
@Check('ck_favorites_before_departure', 'before_departure_minutes BETWEEN 1 AND 120')
@Check('ck_favorites_delay_at_station', 'delay_at_station_minutes BETWEEN 1 AND 720')
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

  /**
   * The rider's station on this train (where they board or get off), on its route when set.
   * A station deleted later leaves the favorite without one, and its alerts idle.
   */
  @Index('ix_favorites_station_id')
  @Column({ type: 'uuid', nullable: true })
  stationId: string | null;

  @ManyToOne(() => Station, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'station_id', foreignKeyConstraintName: 'fk_favorites_station' })
  station?: Relation<Station> | null;

  @Column(() => AlertSettings, { prefix: false })
  alerts: AlertSettings;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
