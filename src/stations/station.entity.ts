import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

// Constraints and indexes are created by the migrations; they are named here so the schema
// diff of `migration:generate` stays empty.
@Entity({ name: 'stations' })
@Unique('uq_stations_code', ['code'])
@Check('ck_stations_code', `code ~ '^[A-Z][A-Z0-9]{0,7}$'`)
@Check('ck_stations_latitude', 'latitude BETWEEN -90 AND 90')
@Check('ck_stations_longitude', 'longitude BETWEEN -180 AND 180')
@Index('ix_stations_search_trgm', { synchronize: false })
@Index('ix_stations_code_pattern', { synchronize: false })
@Index('ix_stations_position', { synchronize: false })
export class Station {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Indian Railways station code, uppercase (e.g. NDLS). */
  @Column({ type: 'varchar', length: 8 })
  code: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 80 })
  city: string;

  @Column({ type: 'varchar', length: 80 })
  state: string;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
