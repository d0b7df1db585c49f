import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { Station } from './station.entity.js';

/**
 * A platform of a station: a GTFS stop under a parent station (Sound Transit's `990005`, label
 * `T1`, under `N11`), or a label only a stop_times column gives (MTA's `track`).
 */
@Entity({ name: 'platforms' })
@Unique('uq_platforms_station_gtfs_id', ['stationId', 'gtfsId'])
@Check('ck_platforms_latitude', 'latitude BETWEEN -90 AND 90')
@Check('ck_platforms_longitude', 'longitude BETWEEN -180 AND 180')
@Check('ck_platforms_named', 'gtfs_id IS NOT NULL OR name IS NOT NULL')
export class Platform {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  stationId: string;

  @ManyToOne(() => Station, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'station_id', foreignKeyConstraintName: 'fk_platforms_station' })
  station?: Relation<Station>;

  /** Its stop_id in the station's feed; null for a label known only from stop_times. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  gtfsId: string | null;

  /** What riders see ("T1", "3"); null when the feed gives no label. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  name: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
