import { Column, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ALERT_KINDS, type AlertKind } from './alert-settings.js';
import { Favorite } from './favorite.entity.js';

/**
 * One alert of a favorite armed for one run (a train on a service date): the index the tracker
 * reads instead of scanning favorites. `dueAt` is when it must be looked at next (an alarm: its
 * lead before the expected time; a watching alert: when the train is expected there); null once
 * nothing is pending (sent, the station passed, the run cancelled). The row stays for the run, as
 * the record of what was sent, so a restarted or second instance never sends it again.
 */
@Entity({ name: 'armed_alerts' })
// Partial (only rows with a due time), created by the migration.
@Index('ix_armed_alerts_due', { synchronize: false })
// The alerts of the runs a tick changed.
@Index('ix_armed_alerts_run', ['trainId', 'serviceDate'])
export class ArmedAlert {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_armed_alerts' })
  userId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_armed_alerts' })
  trainId: string;

  @PrimaryColumn({ type: 'enum', enum: ALERT_KINDS, enumName: 'alert_kind', primaryKeyConstraintName: 'pk_armed_alerts' })
  kind: AlertKind;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_armed_alerts' })
  serviceDate: string;

  @ManyToOne(() => Favorite, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn([
    { name: 'user_id', referencedColumnName: 'userId', foreignKeyConstraintName: 'fk_armed_alerts_favorite' },
    { name: 'train_id', referencedColumnName: 'trainId', foreignKeyConstraintName: 'fk_armed_alerts_favorite' },
  ])
  favorite?: Relation<Favorite>;

  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  /** Alarms sent for this run (an alarm is sent again when the train is later by its lead). */
  @Column({ type: 'smallint', default: 0 })
  sentCount: number;

  /** The expected time the last alarm announced. */
  @Column({ type: 'timestamptz', nullable: true })
  sentExpectedAt: Date | null;

  /**
   * Changes on every write: a write is conditional on the revision it read, so of two instances
   * evaluating the same alert at once only one sends it. A uuid rather than a counter, so a row
   * deleted and armed again (settings changed) cannot be taken for the one read before.
   */
  @Column({ type: 'uuid' })
  @Generated('uuid')
  revision: string;
}
