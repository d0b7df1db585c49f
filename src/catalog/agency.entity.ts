import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { Feed } from './feed.entity.js';

/** An operator of a feed (GTFS agency.txt). Its time zone is the one of its trains' times and service dates. */
@Entity({ name: 'agencies' })
@Unique('uq_agencies_feed_gtfs_id', ['feedId', 'gtfsId'])
export class Agency {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  feedId: string;

  @ManyToOne(() => Feed, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'feed_id', foreignKeyConstraintName: 'fk_agencies_feed' })
  feed?: Relation<Feed>;

  /** agency_id in its feed; '' when the feed has one agency and leaves it out. */
  @Column({ type: 'varchar', length: 255 })
  gtfsId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 500 })
  url: string;

  /** IANA time zone, e.g. America/New_York. */
  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
