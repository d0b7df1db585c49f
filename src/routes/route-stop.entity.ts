import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { Station } from '../stations/station.entity.js';
import { Train } from '../trains/train.entity.js';
import { TrainPattern } from './train-pattern.entity.js';

/**
 * One call of a train at a station, in one of its stop patterns. Times are minutes after
 * midnight plus a day offset from the journey's first day (0 = the day the train leaves its
 * origin), local to the train's time zone, so a 3-day train needs no dates.
 */
@Entity({ name: 'route_stops' })
@Unique('uq_route_stops_pattern_sequence', ['patternId', 'sequence'])
@Check('ck_route_stops_sequence', 'sequence >= 1')
@Check('ck_route_stops_arrival_minute', 'arrival_minute BETWEEN 0 AND 1439')
@Check('ck_route_stops_arrival_day', 'arrival_day BETWEEN 0 AND 30')
@Check('ck_route_stops_departure_minute', 'departure_minute BETWEEN 0 AND 1439')
@Check('ck_route_stops_departure_day', 'departure_day BETWEEN 0 AND 30')
@Check('ck_route_stops_distance', 'distance_km >= 0')
@Check('ck_route_stops_arrival_pair', '(arrival_minute IS NULL) = (arrival_day IS NULL)')
@Check('ck_route_stops_departure_pair', '(departure_minute IS NULL) = (departure_day IS NULL)')
@Check('ck_route_stops_has_time', 'arrival_minute IS NOT NULL OR departure_minute IS NOT NULL')
@Check(
  'ck_route_stops_departs_after_arrival',
  'arrival_minute IS NULL OR departure_minute IS NULL OR departure_day * 1440 + departure_minute >= arrival_day * 1440 + arrival_minute',
)
export class RouteStop {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The train of its pattern (the foreign key to the pattern includes it, so they agree). */
  @Index('ix_route_stops_train_id')
  @Column({ type: 'uuid' })
  trainId: string;

  @ManyToOne(() => Train, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'train_id', foreignKeyConstraintName: 'fk_route_stops_train' })
  train?: Relation<Train>;

  @Column({ type: 'uuid' })
  patternId: string;

  @ManyToOne(() => TrainPattern, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn([
    { name: 'pattern_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_route_stops_pattern' },
    { name: 'train_id', referencedColumnName: 'trainId', foreignKeyConstraintName: 'fk_route_stops_pattern' },
  ])
  pattern?: Relation<TrainPattern>;

  @Index('ix_route_stops_station_id')
  @Column({ type: 'uuid' })
  stationId: string;

  // A station that still has trains calling cannot be deleted: the route must change first.
  @ManyToOne(() => Station, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'station_id', foreignKeyConstraintName: 'fk_route_stops_station' })
  station?: Relation<Station>;

  /** 1..n along the pattern. */
  @Column({ type: 'smallint' })
  sequence: number;

  @Column({ type: 'smallint', nullable: true })
  arrivalMinute: number | null;

  @Column({ type: 'smallint', nullable: true })
  arrivalDay: number | null;

  @Column({ type: 'smallint', nullable: true })
  departureMinute: number | null;

  @Column({ type: 'smallint', nullable: true })
  departureDay: number | null;

  @Column({ type: 'integer' })
  distanceKm: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  platform: string | null;

  /**
   * The stop_id and stop_sequence of the GTFS stop_time it was imported from (a platform's stop
   * id where the feed calls at one): what a realtime feed names this call by. Null for hand-made stops.
   */
  @Column({ type: 'varchar', length: 255, nullable: true })
  gtfsStopId: string | null;

  @Column({ type: 'integer', nullable: true })
  gtfsStopSequence: number | null;
}
