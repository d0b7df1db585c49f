import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { RunRef } from '../live/run-state.js';
import type { AlertKind } from './alert-settings.js';
import type { AlertToEvaluate, ArmedAlertKey, ArmedAlertState } from './armed-alert.model.js';

type Row = Record<string, unknown>;

const KEY_PARAMS = (keys: ArmedAlertKey[]) => [keys.map((k) => k.userId), keys.map((k) => k.trainId), keys.map((k) => k.kind), keys.map((k) => k.serviceDate)];
const KEY_UNNEST = '$1::uuid[], $2::uuid[], $3::text[]::alert_kind[], $4::date[]';
const KEY_COLUMNS = 'user_id, train_id, kind, service_date';
const SAME_KEY = (a: string, b: string) => ['user_id', 'train_id', 'kind', 'service_date'].map((column) => `${a}.${column} = ${b}.${column}`).join(' AND ');

const toKey = (row: Row): ArmedAlertKey => ({
  userId: row.user_id as string,
  trainId: row.train_id as string,
  kind: row.kind as AlertKind,
  serviceDate: row.service_date as string,
});

const timeOrNull = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

/** armed_alerts: every read and write is one statement, whatever the number of alerts. */
@Injectable()
export class ArmedAlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The alerts armed for the runs given (whatever their state: a restored run re-arms them) and
   * those due by `now` (the earliest `dueLimit`), with their favorite's station and settings.
   * Two index lookups (by run, by due time), never a scan.
   */
  async toEvaluate(runs: RunRef[], now: Date, dueLimit: number): Promise<AlertToEvaluate[]> {
    const rows: Row[] = await this.dataSource.query(
      `WITH picked AS (
         SELECT a.* FROM armed_alerts a
         JOIN unnest($1::uuid[], $2::date[]) AS run(train_id, service_date) ON a.train_id = run.train_id AND a.service_date = run.service_date
         UNION
         (SELECT * FROM armed_alerts WHERE due_at <= $3 ORDER BY due_at LIMIT $4)
       )
       SELECT a.user_id, a.train_id, a.kind, to_char(a.service_date, 'YYYY-MM-DD') AS service_date, a.due_at, a.sent_count,
              a.sent_expected_at, a.revision, s.code AS station_code, f.before_arrival_minutes, f.before_departure_minutes,
              f.platform_change, f.delay_at_station_minutes
       FROM picked a JOIN favorites f ON f.user_id = a.user_id AND f.train_id = a.train_id
       LEFT JOIN stations s ON s.id = f.station_id`,
      [runs.map((run) => run.trainId), runs.map((run) => run.serviceDate), now, dueLimit],
    );
    return rows.map((row) => ({
      ...toKey(row),
      dueAt: timeOrNull(row.due_at),
      sentCount: row.sent_count as number,
      sentExpectedAt: timeOrNull(row.sent_expected_at),
      revision: row.revision as string,
      stationCode: (row.station_code as string | null) ?? null,
      settings: {
        beforeArrivalMinutes: row.before_arrival_minutes as number | null,
        beforeDepartureMinutes: row.before_departure_minutes as number | null,
        platformChange: row.platform_change as boolean,
        delayAtStationMinutes: row.delay_at_station_minutes as number | null,
      },
    }));
  }

  /**
   * Writes new states, each only over the revision it was computed from (a row another
   * instance wrote meanwhile is left alone). Returns the keys written.
   */
  async saveIfUnchanged(states: Array<ArmedAlertState & { readRevision: string }>, manager: EntityManager): Promise<ArmedAlertKey[]> {
    if (states.length === 0) return [];
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [Row[], number] = await manager.query(
      `UPDATE armed_alerts a SET due_at = u.due_at, sent_count = u.sent_count, sent_expected_at = u.sent_expected_at, revision = gen_random_uuid()
       FROM unnest(${KEY_UNNEST}, $5::uuid[], $6::timestamptz[], $7::smallint[], $8::timestamptz[])
         AS u(${KEY_COLUMNS}, revision, due_at, sent_count, sent_expected_at)
       WHERE ${SAME_KEY('a', 'u')} AND a.revision = u.revision
       RETURNING a.user_id, a.train_id, a.kind, to_char(a.service_date, 'YYYY-MM-DD') AS service_date`,
      [...KEY_PARAMS(states), states.map((s) => s.readRevision), states.map((s) => s.dueAt), states.map((s) => s.sentCount), states.map((s) => s.sentExpectedAt)],
    );
    return rows.map(toKey);
  }

  /**
   * Arms alerts for runs, leaving those already armed as they are (a run is armed once per alert;
   * its row keeps what was sent). Alerts of a favorite deleted meanwhile are skipped.
   */
  async arm(states: ArmedAlertState[], manager?: EntityManager): Promise<void> {
    if (states.length === 0) return;
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO armed_alerts (${KEY_COLUMNS}, due_at, sent_count, sent_expected_at)
       SELECT u.* FROM unnest(${KEY_UNNEST}, $5::timestamptz[], $6::smallint[], $7::timestamptz[]) AS u(${KEY_COLUMNS}, due_at, sent_count, sent_expected_at)
       WHERE EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = u.user_id AND f.train_id = u.train_id)
       ON CONFLICT ON CONSTRAINT pk_armed_alerts DO NOTHING`,
      [...KEY_PARAMS(states), states.map((s) => s.dueAt), states.map((s) => s.sentCount), states.map((s) => s.sentExpectedAt)],
    );
  }

  /** Disarms the given kinds of a favorite, on every run (its settings for them changed). */
  async disarm(userId: string, trainId: string, kinds: AlertKind[], manager: EntityManager): Promise<void> {
    if (kinds.length === 0) return;
    await manager.query(`DELETE FROM armed_alerts WHERE user_id = $1 AND train_id = $2 AND kind = ANY($3::text[]::alert_kind[])`, [userId, trainId, kinds]);
  }

  /** The earliest due time after `now`, if any alert is armed. */
  async nextDueAt(now: Date): Promise<Date | null> {
    const [row]: Row[] = await this.dataSource.query(`SELECT min(due_at) AS next FROM armed_alerts WHERE due_at > $1`, [now]);
    return timeOrNull(row?.next);
  }

  /** Forgets the alerts of runs that left before `serviceDate`. */
  async deleteRunsBefore(serviceDate: string): Promise<number> {
    // A DELETE answers [rows, count] through TypeORM.
    const [, affected]: [unknown, number] = await this.dataSource.query(`DELETE FROM armed_alerts WHERE service_date < $1`, [serviceDate]);
    return affected;
  }
}
