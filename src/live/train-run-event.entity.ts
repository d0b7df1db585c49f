import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { TrainRun } from './train-run.entity.js';
import { RUN_PHASES, type RunPhase, type RunSource } from './run-state.js';

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

  @Column({ type: 'enum', enum: RUN_PHASES, enumName: 'run_phase' })
  phase: RunPhase;

  @Column({ type: 'integer' })
  delayMinutes: number;

  @Column({ type: 'smallint', nullable: true })
  lastStopSequence: number | null;

  @Column({ type: 'boolean' })
  departedLastStop: boolean;

  @Column({ type: 'varchar', length: 8, nullable: true })
  platform: string | null;

  @Column({ type: 'varchar', length: 16 })
  source: RunSource;
}
