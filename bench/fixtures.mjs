// More trains for the fan-out and polling benchmarks: the demo catalog has 24, the issue asks
// for 500. Copies of the demo trains (numbers 90001…) with copies of their route stops, so every
// copy has a real timetable and a current run.
import pg from 'pg';

/**
 * Brings the catalog of `databaseUrl` up to `total` trains, in one transaction, and returns
 * the numbers of all trains that have a route, in a stable order. Run it before starting app
 * instances: they load the timetable at start (and then only once a minute).
 * @param {string} databaseUrl
 * @param {number} total
 * @returns {Promise<string[]>}
 */
export async function ensureTrains(databaseUrl, total) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows: [{ count, copied }] } = await client.query(
      `SELECT count(*)::int AS count, count(*) FILTER (WHERE number::int BETWEEN 90001 AND 99999)::int AS copied FROM trains`,
    );
    const copies = Math.max(0, total - count);
    if (copies > 0) {
      // Copy i (counting those made before) is numbered 90001 + i and copies demo train i mod 24.
      await client.query(
        `WITH demo AS (
           SELECT id, name, type, runs_on, days_known, time_zone, row_number() OVER (ORDER BY number) - 1 AS idx, count(*) OVER () AS n
           FROM trains WHERE number::int NOT BETWEEN 90001 AND 99999
         ),
         copies AS (
           SELECT (90001 + g)::text AS number, d.id AS source_id, d.name, d.type, d.runs_on, d.days_known, d.time_zone
           FROM generate_series($1::int, $1::int + $2::int - 1) AS g JOIN demo d ON d.idx = g % d.n
         ),
         inserted AS (
           INSERT INTO trains (number, name, type, runs_on, days_known, time_zone)
           SELECT number, left(name || ' (copy ' || number || ')', 120), type, runs_on, days_known, time_zone FROM copies
           RETURNING id, number
         ),
         -- One pattern per copy, with the calendar of its source's (first) pattern.
         patterns AS (
           INSERT INTO train_patterns (train_id, runs_on, valid_from, valid_to, added_dates, removed_dates, days_known)
           SELECT i.id, p.runs_on, p.valid_from, p.valid_to, p.added_dates, p.removed_dates, p.days_known
           FROM inserted i JOIN copies c ON c.number = i.number
           JOIN LATERAL (SELECT * FROM train_patterns sp WHERE sp.train_id = c.source_id ORDER BY sp.created_at, sp.id LIMIT 1) p ON true
           RETURNING id, train_id
         )
         INSERT INTO route_stops (train_id, pattern_id, station_id, sequence, arrival_minute, arrival_day, departure_minute, departure_day, distance_km, platform)
         SELECT i.id, np.id, rs.station_id, rs.sequence, rs.arrival_minute, rs.arrival_day, rs.departure_minute, rs.departure_day, rs.distance_km, rs.platform
         FROM inserted i JOIN patterns np ON np.train_id = i.id JOIN copies c ON c.number = i.number
         JOIN LATERAL (SELECT sp.id FROM train_patterns sp WHERE sp.train_id = c.source_id ORDER BY sp.created_at, sp.id LIMIT 1) sp ON true
         JOIN route_stops rs ON rs.pattern_id = sp.id`,
        [copied, copies],
      );
    }
    await client.query('COMMIT');
    const { rows } = await client.query(
      `SELECT t.number FROM trains t WHERE EXISTS (SELECT 1 FROM route_stops rs WHERE rs.train_id = t.id GROUP BY rs.train_id HAVING count(*) >= 2) ORDER BY t.number`,
    );
    return rows.map((row) => row.number);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
