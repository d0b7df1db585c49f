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
           SELECT id, name, type, runs_on, row_number() OVER (ORDER BY number) - 1 AS idx, count(*) OVER () AS n
           FROM trains WHERE number::int NOT BETWEEN 90001 AND 99999
         ),
         copies AS (
           SELECT (90001 + g)::text AS number, d.id AS source_id, d.name, d.type, d.runs_on
           FROM generate_series($1::int, $1::int + $2::int - 1) AS g JOIN demo d ON d.idx = g % d.n
         ),
         inserted AS (
           INSERT INTO trains (number, name, type, runs_on)
           SELECT number, left(name || ' (copy ' || number || ')', 120), type, runs_on FROM copies
           RETURNING id, number
         )
         INSERT INTO route_stops (train_id, station_id, sequence, arrival_minute, arrival_day, departure_minute, departure_day, distance_km, platform)
         SELECT i.id, rs.station_id, rs.sequence, rs.arrival_minute, rs.arrival_day, rs.departure_minute, rs.departure_day, rs.distance_km, rs.platform
         FROM inserted i JOIN copies c ON c.number = i.number JOIN route_stops rs ON rs.train_id = c.source_id`,
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
