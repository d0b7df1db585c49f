import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { Train } from '../trains/train.entity.js';
import type { Weekday } from '../trains/train-type.js';
import type { ServiceCalendar } from './service-calendar.js';

/**
 * One stop pattern of a train (a GTFS trip) and the service dates it runs on, as dates the train
 * leaves its origin: a weekday rule within a validity range, plus added and minus removed dates.
 * A train runs at most one pattern on a date (the importer checks it), so "the stops of train X
 * on date D" has one answer.
 */
@Entity({ name: 'train_patterns' })
@Unique('uq_train_patterns_train_trip', ['trainId', 'gtfsTripId'])
@Unique('uq_train_patterns_id_train', ['id', 'trainId'])
@Check('ck_train_patterns_runs_on', `runs_on <@ ARRAY['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']::text[]`)
@Check('ck_train_patterns_added_dates', `array_to_string(added_dates, ',') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}(,|$))*$' AND added_dates::date[] IS NOT NULL`)
@Check('ck_train_patterns_removed_dates', `array_to_string(removed_dates, ',') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}(,|$))*$' AND removed_dates::date[] IS NOT NULL`)
@Check('ck_train_patterns_validity', 'valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to')
@Check('ck_train_patterns_gtfs_day_shift', 'gtfs_day_shift BETWEEN 0 AND 30')
export class TrainPattern implements ServiceCalendar {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  trainId: string;

  @ManyToOne(() => Train, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'train_id', foreignKeyConstraintName: 'fk_train_patterns_train' })
  train?: Relation<Train>;

  /** trip_id of the GTFS trip it was imported from; null for hand-made patterns. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  gtfsTripId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  headsign: string | null;

  /**
   * Days from the GTFS service date of its trip to the date the train leaves its origin (1 for a
   * trip whose first departure is at 24:10 or later); a realtime feed's start_date is the former.
   */
  @Column({ type: 'smallint', default: 0 })
  gtfsDayShift: number;

  /** The weekday rule (may be empty: dates only). */
  @Column({ type: 'text', array: true })
  runsOn: Weekday[];

  /** The rule's range, inclusive; null = open. */
  @Column({ type: 'date', nullable: true })
  validFrom: string | null;

  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  /** Dates it also runs (ISO, sorted). */
  @Column({ type: 'text', array: true })
  addedDates: string[];

  /** Dates the rule gives that it does not run. */
  @Column({ type: 'text', array: true })
  removedDates: string[];

  @Column({ type: 'boolean' })
  daysKnown: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
