import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { transit_realtime } from '../../src/tracking/gtfs-rt/gtfs-realtime.js';

/** The recorded Sound Transit TripUpdates (test/fixtures/gtfs/sound-transit/trip-updates). */
export const recording = (name: string): Buffer => readFileSync(new URL(`../fixtures/gtfs/sound-transit/trip-updates/${name}.pb`, import.meta.url));

/** A recording's original JSON (snake_case, as Sound Transit printed it): expectations come from here, not from the code under test. */
export interface RecordedStopTimeUpdate {
  stop_sequence: number;
  stop_id: string;
  arrival?: { time: number; delay?: number };
  departure?: { time: number; delay?: number };
}
export interface RecordedEntity {
  id: string;
  trip_update: { trip: { trip_id: string; start_date: string; schedule_relationship: string }; stop_time_update?: RecordedStopTimeUpdate[]; delay?: number };
}
export const recordingJson = (name: string): { header: { timestamp: number }; entity: RecordedEntity[] } =>
  JSON.parse(readFileSync(new URL(`../fixtures/gtfs/sound-transit/trip-updates/${name}.json`, import.meta.url), 'utf8'));

/** A FeedMessage built with the bindings from plain objects (camelCase keys: fromObject ignores snake_case ones; enums by name), encoded. */
export function encodeFeed(timestamp: Date, entities: object[]): Buffer {
  const message = transit_realtime.FeedMessage.fromObject({
    header: { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: Math.floor(timestamp.getTime() / 1000) },
    entity: entities,
  });
  const problem = transit_realtime.FeedMessage.verify(message);
  if (problem) throw new Error(`invalid test feed: ${problem}`);
  return Buffer.from(transit_realtime.FeedMessage.encode(message).finish());
}

export const decodeFeed = (bytes: Uint8Array) => transit_realtime.FeedMessage.toObject(transit_realtime.FeedMessage.decode(bytes), { enums: String, longs: Number }) as {
  header: { gtfsRealtimeVersion: string; incrementality: string; timestamp: number };
  entity?: Array<{ id: string; tripUpdate: { trip: Record<string, unknown>; stopTimeUpdate?: Array<Record<string, unknown>>; timestamp?: number } }>;
};

export type FeedAnswer = { kind: 'feed'; body: Buffer; etag?: string } | { kind: 'status'; status: number } | { kind: 'garbage' } | { kind: 'silent' };

/**
 * An operator's feed server on 127.0.0.1 the test drives: it answers every request with what
 * it was last told (a feed, an HTTP error, bytes that are no protobuf, or nothing at all), and
 * records each request's headers. A feed with an ETag answers 304 to a request that names it.
 */
export class FeedServer {
  private server: Server | null = null;
  private answer: FeedAnswer = { kind: 'status', status: 503 };
  private held: ServerResponse[] = [];
  readonly requests: IncomingHttpHeaders[] = [];

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/trip-updates.pb`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests.push(request.headers);
      const answer = this.answer;
      if (answer.kind === 'silent') {
        this.held.push(response);
        return;
      }
      if (answer.kind === 'status') return void response.writeHead(answer.status).end();
      if (answer.kind === 'garbage') return void response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from('<html>maintenance</html>'));
      if (answer.etag && request.headers['if-none-match'] === answer.etag) return void response.writeHead(304, { etag: answer.etag }).end();
      response.writeHead(200, { 'content-type': 'application/x-protobuf', ...(answer.etag && { etag: answer.etag }) }).end(answer.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  serve(body: Buffer, etag?: string): void {
    this.release();
    this.answer = { kind: 'feed', body, etag };
  }

  respond(answer: FeedAnswer): void {
    this.release();
    this.answer = answer;
  }

  /** Ends the requests held while silent (the client gave up on them already). */
  private release(): void {
    for (const response of this.held.splice(0)) response.destroy();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// A scenario on the Sound Transit timetable (test/fixtures/gtfs/sound-transit), written with the bindings for what the recordings lack.

/** Wednesday 10 May 2023, 21:00 in Seattle (PDT, UTC-7). */
export const NOW = new Date('2023-05-11T04:00:00Z');
/** Times of that service day in Seattle as instants (the catalog keeps whole minutes: 21:01:30 in stop_times is 21:01). */
export const pdt = (clock: string) => new Date(`2023-05-10T${clock}-07:00`);
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const TRIP = (number: number) => `LLR_2023-03-18_Weekday_100479_${number}`;

/**
 * Weekday 1115 (train 51115, Angle Lake 20:46 → Northgate 21:43, 19 stops), under way:
 * stop 4 (sched. arr. 21:01) 4 min late with its own times, stop 5 SKIPPED, stop 10 NO_DATA,
 * stop 12 (sched. arr. 21:23) 2 min late, stop 19 assigned platform 990005 (T1) instead of 990006 (T2).
 */
export const trip1115 = {
  id: 'e-1115',
  tripUpdate: {
    trip: { tripId: TRIP(1115), startDate: '20230510', scheduleRelationship: 'SCHEDULED' },
    stopTimeUpdate: [
      { stopSequence: 4, stopId: '55578', arrival: { delay: 240 }, departure: { time: seconds(pdt('21:06:00')) } },
      { stopSequence: 5, stopId: '55656', scheduleRelationship: 'SKIPPED' },
      { stopSequence: 10, stopId: '99260', scheduleRelationship: 'NO_DATA' },
      { stopSequence: 12, stopId: '532', arrival: { time: seconds(pdt('21:25:00')) } },
      { stopSequence: 19, stopId: '990006', arrival: { time: seconds(pdt('21:44:00')) }, stopTimeProperties: { assignedStopId: '990005' } },
    ],
  },
};

/** Weekday 1116 (train 51116, leaves 20:56): cancelled. */
export const trip1116 = { id: 'e-1116', tripUpdate: { trip: { tripId: TRIP(1116), startDate: '20230510', scheduleRelationship: 'CANCELED' } } };

/**
 * Weekday 2120 (train 52120, Northgate 21:13 → Angle Lake): its origin named by another platform
 * of Northgate (990006, T2, where the timetable says 990005, T1), as Sound Transit's own feed
 * does; a repeated stop_sequence; stop 2 assigned to a stop of another station (dropped).
 */
export const trip2120 = {
  id: 'e-2120',
  tripUpdate: {
    trip: { tripId: TRIP(2120), startDate: '20230510' },
    stopTimeUpdate: [
      { stopSequence: 1, stopId: '990006', departure: { delay: 60 } },
      { stopSequence: 1, stopId: '990006', departure: { delay: 600 } },
      { stopSequence: 2, stopId: '990003', arrival: { delay: 60 }, stopTimeProperties: { assignedStopId: '99914' } },
    ],
  },
};

/** What the catalog cannot show: an ADDED trip, an unknown trip_id, a Sunday trip on a Wednesday, the same trip twice. */
export const unshowable = [
  { id: 'e-added', tripUpdate: { trip: { tripId: 'EXTRA-1', startDate: '20230510', scheduleRelationship: 'ADDED' }, stopTimeUpdate: [{ stopSequence: 1, departure: { delay: 0 } }] } },
  { id: 'e-unknown', tripUpdate: { trip: { tripId: 'NO-SUCH-TRIP', startDate: '20230510' }, stopTimeUpdate: [{ stopSequence: 1, departure: { delay: 0 } }] } },
  { id: 'e-sunday', tripUpdate: { trip: { tripId: 'LLR_2023-03-18_Sunday_100479_1107', startDate: '20230510' }, stopTimeUpdate: [{ stopSequence: 2, arrival: { delay: 0 } }] } },
  { id: 'e-1115-again', tripUpdate: trip1115.tripUpdate },
];
