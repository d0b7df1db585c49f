import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TRAIN_TYPES, type TrainType, type Weekday } from './train-type.js';

@Entity({ name: 'trains' })
export class Train {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Public train number (e.g. 12951); digits, unique. */
  @Column({ type: 'varchar', length: 8, unique: true })
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
