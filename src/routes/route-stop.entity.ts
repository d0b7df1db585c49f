import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Station } from '../stations/station.entity.js';
import { Train } from '../trains/train.entity.js';
import { TrainPattern } from './train-pattern.entity.js';

/**
 * One call of a train at a station, in one of its stop patterns. Times are minutes after
 * midnight plus a day offset from the journey's first day (0 = the day the train leaves its
 * origin), local to the train's time zone, so a 3-day train needs no dates.
 *
 * Its references (pattern of its train, station) are enforced by statement-level triggers rather
 * than foreign keys, which check bulk imports row by row (migration
 * RouteStopsForBulkWrites1764800000000): the relations below are for joins only.
 */
@Entity({ name: 'route_stops' })
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
  /** The train of its pattern (the reference to the pattern includes it, so they agree). Not indexed: a train's stops are found through its patterns. */
  @Column({ type: 'uuid' })
  trainId: string;

  @ManyToOne(() => Train, { nullable: false, createForeignKeyConstraints: false })
  @JoinColumn({ name: 'train_id' })
  train?: Relation<Train>;

  /** With sequence, the primary key (pk_route_stops). */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_route_stops' })
  patternId: string;

  // Deleting a pattern deletes its stops (tr_train_patterns_route_stops_delete).
  @ManyToOne(() => TrainPattern, { nullable: false, createForeignKeyConstraints: false })
  @JoinColumn([
    { name: 'pattern_id', referencedColumnName: 'id' },
    { name: 'train_id', referencedColumnName: 'trainId' },
  ])
  pattern?: Relation<TrainPattern>;

  @Index('ix_route_stops_station_id')
  @Column({ type: 'uuid' })
  stationId: string;

  // A station that still has trains calling cannot be deleted: the route must change first
  // (tr_stations_route_stops_delete).
  @ManyToOne(() => Station, { nullable: false, createForeignKeyConstraints: false })
  @JoinColumn({ name: 'station_id' })
  station?: Relation<Station>;

  /** 1..n along the pattern. */
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_route_stops' })
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
