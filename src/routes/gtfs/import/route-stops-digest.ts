import { createHash } from 'node:crypto';
import type { ExistingStop } from './gtfs-import.model.js';

/**
 * A stop pattern's stops as one digest, so an import can tell which patterns' stops changed
 * without loading every stop of the catalog into memory (600,000 stops would be ~600 MB of
 * objects): the catalog side is computed in SQL (STOPS_DIGEST_SQL, one row per pattern), the
 * feed side here, from the same text. Both must write it alike, field by field: the re-import
 * e2e tests (a feed imported twice writes nothing) and test/route-stop-references.e2e-spec.ts
 * prove they agree.
 *
 * Text of a stop: station id, sequence, arrival minute and day, departure minute and day,
 * distance, platform, GTFS stop_id and stop_sequence, comma-separated; stops joined by `;` in
 * sequence order. A null number is empty; the platform and the stop_id are their UTF-8 bytes in
 * hex, `-` for none, so no value can hold a separator.
 */
export function stopsDigest(stops: Iterable<ExistingStop>): string {
  const hash = createHash('md5');
  let first = true;
  for (const stop of stops) {
    hash.update(
      `${first ? '' : ';'}${stop.stationId},${stop.sequence},${stop.arrivalMinute ?? ''},${stop.arrivalDay ?? ''},${stop.departureMinute ?? ''},${stop.departureDay ?? ''},${stop.distanceKm},` +
        `${hexOrDash(stop.platform)},${hexOrDash(stop.gtfsStopId)},${stop.gtfsStopSequence ?? ''}`,
    );
    first = false;
  }
  return hash.digest('hex');
}

const hexOrDash = (text: string | null) => (text === null ? '-' : Buffer.from(text, 'utf8').toString('hex'));

/** stopsDigest in SQL, over the route_stops rows `rs` of one pattern (an aggregate: GROUP BY rs.pattern_id). */
export const STOPS_DIGEST_SQL = `md5(string_agg(concat_ws(',',
    rs.station_id, rs.sequence,
    coalesce(rs.arrival_minute::text, ''), coalesce(rs.arrival_day::text, ''),
    coalesce(rs.departure_minute::text, ''), coalesce(rs.departure_day::text, ''),
    rs.distance_km, coalesce(encode(convert_to(rs.platform, 'UTF8'), 'hex'), '-'),
    coalesce(encode(convert_to(rs.gtfs_stop_id, 'UTF8'), 'hex'), '-'), coalesce(rs.gtfs_stop_sequence::text, '')
  ), ';' ORDER BY rs.sequence))`;
