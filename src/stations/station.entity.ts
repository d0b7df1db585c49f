import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { Feed } from '../catalog/feed.entity.js';

// Constraints and indexes are created by the migrations; they are named here so the schema
// diff of `migration:generate` stays empty.
@Entity({ name: 'stations' })
@Unique('uq_stations_code', ['code'])
@Unique('uq_stations_feed_gtfs_id', ['feedId', 'gtfsId'])
@Check('ck_stations_code', `code ~ '^[A-Z0-9][A-Z0-9_.-]{0,15}$'`)
@Check('ck_stations_latitude', 'latitude BETWEEN -90 AND 90')
@Check('ck_stations_longitude', 'longitude BETWEEN -180 AND 180')
export class Station {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Public code, uppercase: an Indian Railways code (NDLS) or a feed's stop id (LIRR `157`, Sound Transit `N11`). */
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** Not in GTFS feeds: null for imported stations. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  city: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  state: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  /** The feed it was imported from; null for hand-made stations. */
  @Index('ix_stations_feed_id')
  @Column({ type: 'uuid', nullable: true })
  feedId: string | null;

  @ManyToOne(() => Feed, { nullable: true })
  @JoinColumn({ name: 'feed_id', foreignKeyConstraintName: 'fk_stations_feed' })
  feed?: Relation<Feed>;

  /** Its stop_id in that feed. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  gtfsId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
