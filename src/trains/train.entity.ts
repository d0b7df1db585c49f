import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { TRAIN_TYPES, type TrainType, type Weekday } from './train-type.js';

@Entity({ name: 'trains' })
@Unique('uq_trains_number', ['number'])
@Check('ck_trains_number', `number ~ '^[0-9]{4,6}$'`)
@Check('ck_trains_runs_on', `cardinality(runs_on) BETWEEN 1 AND 7 AND runs_on <@ ARRAY['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']::text[]`)
@Index('ix_trains_lower_name', { synchronize: false })
export class Train {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Public train number (e.g. 12951); digits, unique. */
  @Column({ type: 'varchar', length: 8 })
  number: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'enum', enum: TRAIN_TYPES, enumName: 'train_type' })
  type: TrainType;

  /** Weekdays on which the train leaves its origin, Monday first. */
  @Column({ type: 'text', array: true })
  runsOn: Weekday[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
