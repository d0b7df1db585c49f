import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { Agency } from '../catalog/agency.entity.js';
import { Feed } from '../catalog/feed.entity.js';
import { TRAIN_TYPES, type TrainType, type Weekday } from './train-type.js';

@Entity({ name: 'trains' })
@Unique('uq_trains_number', ['number'])
@Check('ck_trains_number', `number ~ '^[0-9]{1,8}$'`)
@Check('ck_trains_runs_on', `runs_on <@ ARRAY['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']::text[]`)
@Index('ix_trains_lower_name', { synchronize: false })
export class Train {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Public train number: 1-8 digits (12951, LIRR's 21), unique in the catalog. */
  @Column({ type: 'varchar', length: 8 })
  number: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'enum', enum: TRAIN_TYPES, enumName: 'train_type' })
  type: TrainType;

  /**
   * Weekdays on which the train leaves its origin, Monday first: a summary of its patterns'
   * calendars (train_patterns), kept with them by every writer (runDaysOf). Empty when unknown.
   */
  @Column({ type: 'text', array: true })
  runsOn: Weekday[];

  /** False when its publisher does not know the days it runs (a DAYS_UNKNOWN service). */
  @Column({ type: 'boolean' })
  daysKnown: boolean;

  /** IANA time zone of its timetable times and service dates (its agency's); Asia/Kolkata for Indian trains. */
  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'uuid', nullable: true })
  agencyId: string | null;

  @ManyToOne(() => Agency, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'agency_id', foreignKeyConstraintName: 'fk_trains_agency' })
  agency?: Relation<Agency>;

  /** The feed it was imported from; null for hand-made trains. */
  @Index('ix_trains_feed_id')
  @Column({ type: 'uuid', nullable: true })
  feedId: string | null;

  @ManyToOne(() => Feed, { nullable: true })
  @JoinColumn({ name: 'feed_id', foreignKeyConstraintName: 'fk_trains_feed' })
  feed?: Relation<Feed>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
