import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { TrainRun } from './train-run.entity.js';
import { ObservedRun } from './observed-run.js';
import type { RunSource } from './run-state.js';

/** Append-only history of a run: one row per change (version). */
@Entity({ name: 'train_run_events' })
@Unique('uq_train_run_events_run_version', ['runId', 'version'])
export class TrainRunEvent {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_train_run_events' })
  id: string;

  @Column({ type: 'uuid' })
  runId: string;

  @ManyToOne(() => TrainRun, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_train_run_events_run' })
  run?: Relation<TrainRun>;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  @Column(() => ObservedRun, { prefix: false })
  observed: ObservedRun;

  @Column({ type: 'varchar', length: 16 })
  source: RunSource;
}
