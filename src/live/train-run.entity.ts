import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { Train } from '../trains/train.entity.js';
import { ObservedRun } from './observed-run.js';
import type { RunSource, StopActual } from './run-state.js';

/** Current state of a run: a train on one service date. One row per run, updated only on change. */
@Entity({ name: 'train_runs' })
@Unique('uq_train_runs_train_date', ['trainId', 'serviceDate'])
@Check('ck_train_runs_delay', 'delay_minutes >= -120')
@Check('ck_train_runs_version', 'version >= 1')
export class TrainRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  trainId: string;

  @ManyToOne(() => Train, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'train_id', foreignKeyConstraintName: 'fk_train_runs_train' })
  train?: Relation<Train>;

  @Index('ix_train_runs_service_date')
  @Column({ type: 'date' })
  serviceDate: string;

  @Column(() => ObservedRun, { prefix: false })
  observed: ObservedRun;

  @Column({ type: 'jsonb' })
  actuals: StopActual[];

  @Column({ type: 'integer' })
  notifiedDelay: number;

  @Column({ type: 'varchar', length: 16 })
  source: RunSource;

  /** When the source's latest data on the run was produced; null for sources whose word does not age. */
  @Column({ type: 'timestamptz', nullable: true })
  observedAt: Date | null;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
