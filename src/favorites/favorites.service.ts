import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { type FieldError, InvalidInputError, RuleViolationError } from '../common/errors/domain-errors.js';
import type { Env } from '../config/env.validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { LiveStatusService, type RunCall } from '../live/live-status.service.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import { TimetableService } from '../routes/timetable.service.js';
import type { Train } from '../trains/train.entity.js';
import { TrainsService } from '../trains/trains.service.js';
import { type AlertKind, type AlertSettings, ALERT_KINDS, enabledKinds, isEnabled, kindChanged, NO_ALERTS } from './alert-settings.js';
import { ArmedAlertsService } from './armed-alerts.service.js';
import type { Favorite } from './favorite.entity.js';
import type { FavoriteSettings, FavoriteTrain } from './favorite.model.js';
import { FavoritesRepository } from './favorites.repository.js';

/** The settings to store: the station resolved to the route's stop. */
interface ResolvedSettings {
  stationId: string | null;
  stationCode: string | null;
  alerts: AlertSettings;
}

@Injectable()
export class FavoritesService {
  private readonly maxPerUser: number;

  constructor(
    private readonly favorites: FavoritesRepository,
    private readonly trains: TrainsService,
    private readonly live: LiveStatusService,
    private readonly timetable: TimetableService,
    private readonly armedAlerts: ArmedAlertsService,
    private readonly transactions: TransactionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.maxPerUser = config.get('FAVORITES_MAX_PER_USER', { infer: true });
  }

  async list(userId: string): Promise<FavoriteTrain[]> {
    return this.withLive(await this.favorites.listOfUser(userId));
  }

  /**
   * Adds the train (idempotent); `created` is false when it was already a favorite. Without
   * settings an existing favorite keeps its own; with them, they replace the station and alerts:
   * the alerts whose setting changed are disarmed, and every alert on is armed on the next run
   * calling there (where it is armed already, that row and what it sent stay).
   */
  async add(userId: string, trainNumber: string, settings?: FavoriteSettings): Promise<{ favorite: FavoriteTrain; created: boolean }> {
    const train = await this.trains.stored(trainNumber);
    const resolved = settings && (await this.resolve(train, settings));
    const now = this.clock.now();
    // Planned outside the transaction (live state from the cache); written inside, for the kinds that changed.
    const planned = resolved?.stationCode
      ? await this.armedAlerts.plan(
          enabledKinds(resolved.alerts).map((kind) => ({ userId, trainId: train.id, kind, stationCode: resolved.stationCode!, settings: resolved.alerts })),
          now,
        )
      : [];
    const { favorite, created } = await this.transactions.run(async (manager) => {
      await this.favorites.lockUser(userId, manager);
      const existing = await this.favorites.find(userId, train.id, manager);
      if (!existing && (await this.favorites.countOfUser(userId, manager)) >= this.maxPerUser) {
        throw new RuleViolationError('FAVORITES_LIMIT_REACHED', `You can follow at most ${this.maxPerUser} trains; remove one first`);
      }
      if (!resolved) return { favorite: existing ?? (await this.favorites.insert(userId, train.id, now, manager)), created: !existing };
      const stored = { stationId: resolved.stationId, alerts: resolved.alerts };
      if (existing) {
        await this.armedAlerts.disarm(userId, train.id, kindsToRearm(existing, resolved), manager);
        await this.favorites.updateSettings(userId, train.id, stored, manager);
      }
      const favorite = existing ? await this.favorites.find(userId, train.id, manager) : await this.favorites.insert(userId, train.id, now, manager, stored);
      // Kinds that did not change keep their rows (what was sent stays sent); one missing is armed again.
      await this.armedAlerts.arm(planned, manager);
      return { favorite, created: !existing };
    });
    const [withLive] = await this.withLive([{ ...favorite!, train, station: await this.stationOf(train, favorite!.stationId) }]);
    return { favorite: withLive, created };
  }

  /** Removes the train from the user's favorites (its armed alerts go with it); nothing happens when it was not one. */
  async remove(userId: string, trainNumber: string): Promise<void> {
    const train = await this.trains.getByNumber(trainNumber);
    await this.favorites.delete(userId, train.id);
  }

  /** Followers of each train (the tracker notifies them), in one query. */
  followersOf(trainIds: string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    return this.favorites.followersOf(trainIds, manager);
  }

  /**
   * Checks the settings against the train's stop patterns: the station must be a stop of one of
   * them, and an alarm must be one the station can give (no arrival where every run starts, no
   * departure where every run ends). Every bad field is named at once.
   */
  private async resolve(train: Train, settings: FavoriteSettings): Promise<ResolvedSettings> {
    const { stationCode, alerts } = settings;
    if (stationCode === null) {
      if (enabledKinds(alerts).length > 0) throw invalidAlerts([{ field: 'stationCode', messages: ['stationCode is required with alerts: the station they are about'] }]);
      return { stationId: null, stationCode: null, alerts: NO_ALERTS };
    }
    const stops = await this.stopsAt(train, stationCode);
    if (stops.length === 0) {
      throw new InvalidInputError('STATION_NOT_ON_ROUTE', `${stationCode} is not on the route of ${train.number}`, [
        { field: 'stationCode', messages: [`${stationCode} is not a stop of train ${train.number}`] },
      ]);
    }
    const errors: FieldError[] = [];
    if (isEnabled(alerts, 'ARRIVAL') && stops.every((stop) => stop.arrivalMinute === null)) {
      errors.push({ field: 'alerts.beforeArrivalMinutes', messages: [`${train.number} starts at ${stationCode}: it does not arrive there`] });
    }
    if (isEnabled(alerts, 'DEPARTURE') && stops.every((stop) => stop.departureMinute === null)) {
      errors.push({ field: 'alerts.beforeDepartureMinutes', messages: [`${train.number} ends at ${stationCode}: it does not leave from there`] });
    }
    if (errors.length > 0) throw invalidAlerts(errors);
    return { stationId: stops[0].stationId, stationCode, alerts };
  }

  /** The train's stops at a station, over all its stop patterns. */
  private async stopsAt(train: Train, stationCode: string): Promise<RouteStop[]> {
    const timetable = await this.timetable.of(train.id);
    return (timetable?.patterns ?? []).flatMap(({ stops }) => stops.filter((stop) => stop.station!.code === stationCode));
  }

  private async stationOf(train: Train, stationId: string | null): Promise<{ code: string; name: string } | null> {
    if (!stationId) return null;
    const timetable = await this.timetable.of(train.id);
    const stop = timetable?.patterns.flatMap(({ stops }) => stops).find((candidate) => candidate.stationId === stationId);
    return stop ? { code: stop.station!.code, name: stop.station!.name } : null;
  }

  /** Favorites with their summaries, their current runs and their next calls at the rider's station: one cache read each. */
  private async withLive(favorites: Array<Pick<Favorite, 'createdAt' | 'alerts'> & { train?: Train; station?: { code: string; name: string } | null }>): Promise<FavoriteTrain[]> {
    const trains = favorites.map((favorite) => favorite.train!);
    const timetables = await this.timetable.all();
    const withStation = favorites.flatMap((favorite, index) => {
      const timetable = timetables.get(favorite.train!.id);
      return favorite.station && timetable ? [{ index, request: { timetable, stationCode: favorite.station.code } }] : [];
    });
    const now = this.clock.now();
    const [withSummaries, live, calls] = await Promise.all([
      this.trains.withSummaries(trains),
      this.live.ofTrains(trains),
      this.live.callsAhead(
        withStation.map(({ request }) => request),
        now,
      ),
    ]);
    const nextCalls = new Map<number, RunCall | undefined>(withStation.map(({ index }, i) => [index, calls[i].find(({ call }) => call.status !== 'PASSED')]));
    return withSummaries.map((train, index) => ({
      ...train,
      addedAt: favorites[index].createdAt,
      live: live.get(train.train.id),
      station: favorites[index].station ? { code: favorites[index].station!.code, name: favorites[index].station!.name } : null,
      alerts: favorites[index].station ? favorites[index].alerts : NO_ALERTS,
      nextCall: nextCalls.get(index),
    }));
  }
}

const invalidAlerts = (errors: FieldError[]) => new InvalidInputError('INVALID_ALERT_SETTINGS', `Invalid alert settings: ${errors.map((error) => error.field).join(', ')}`, errors);

/** The alert kinds to arm afresh: all when the station changed, else those whose setting changed. */
function kindsToRearm(before: Favorite, after: ResolvedSettings): AlertKind[] {
  if (before.stationId !== after.stationId) return [...ALERT_KINDS];
  return ALERT_KINDS.filter((kind) => kindChanged(before.alerts, after.alerts, kind));
}
