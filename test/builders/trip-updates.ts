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
