import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventLoopSlices, mapInSlices } from '../common/event-loop/slices.js';
import { type RunRef, runKey, type RunState } from './run-state.js';
import { RunStateCache } from './run-state.cache.js';
import { RunsWithoutState } from './runs-without-state.js';
import { TrainRunsRepository } from './train-runs.repository.js';

export interface LoadedStates {
  states: Map<string, RunState>;
  /** Whether the cache answered; false means everything came from PostgreSQL. */
  fromCache: boolean;
}

/** How long "PostgreSQL has no state for this run" is trusted by live views (see RunsWithoutState). */
export const NO_STATE_TTL_MS = 10_000;

/** Run states: read from the cache first, PostgreSQL (the source of truth) for the rest; written to PostgreSQL, then cached. */
@Injectable()
export class RunStatesService {
  private readonly withoutState = new RunsWithoutState(NO_STATE_TTL_MS);
  private stateWrites = 0;

  constructor(
    private readonly cache: RunStateCache,
    private readonly runs: TrainRunsRepository,
  ) {}

  /** Every state there is, the cache's first, PostgreSQL's for the rest (what the tick compares against). */
  load(refs: RunRef[]): Promise<LoadedStates> {
    return this.loadStates(refs, false);
  }

  /**
   * States for live views: as load(), except that a run PostgreSQL had no state for a few seconds
   * ago is not asked about again (RunsWithoutState), so runs nobody has reported on cost no query.
   */
  read(refs: RunRef[]): Promise<LoadedStates> {
    return this.loadStates(refs, true);
  }

  private async loadStates(refs: RunRef[], trustAbsence: boolean): Promise<LoadedStates> {
    // In slices: a tick reads the states of every run under way (100,000 in the bench).
    const slices = new EventLoopSlices();
    const keys = await mapInSlices(refs, (ref) => runKey(ref.trainId, ref.serviceDate), slices);
    const cached = await this.cache.getMany(keys);
    // Without the cache, writes reached PostgreSQL only: no absence seen before can be trusted.
    if (cached === null) this.withoutState.forgetAll();
    const states = new Map<string, RunState>();
    const missing: RunRef[] = [];
    for (let index = 0; index < refs.length; index++) {
      if (slices.due()) await slices.next();
      const state = cached?.[index];
      if (state) states.set(keys[index], state);
      else if (!(trustAbsence && cached !== null && this.withoutState.has(keys[index]))) missing.push(refs[index]);
    }
    if (missing.length > 0) {
      const stored = await this.runs.findMany(missing);
      for (const state of stored) states.set(runKey(state.trainId, state.serviceDate), state);
      if (cached !== null) this.withoutState.remember(missing.map((ref) => runKey(ref.trainId, ref.serviceDate)).filter((key) => !states.has(key)));
      // Warm the cache with what it lacked, so the next read is one round trip.
      if (cached && stored.length > 0) await this.cache.setMany(stored);
    }
    return { states, fromCache: cached !== null };
  }

  /** How many times this instance has written or refreshed states: what was read before a change may be out of date. */
  get writes(): number {
    return this.stateWrites;
  }

  /** Re-reads states from PostgreSQL and refreshes the cache (after a lost conditional write). */
  async reload(refs: RunRef[]): Promise<RunState[]> {
    const stored = await this.runs.findMany(refs);
    this.stateWrites++;
    this.withoutState.forget(stored.map((state) => runKey(state.trainId, state.serviceDate)));
    await this.cache.setMany(stored);
    return stored;
  }

  /**
   * Writes the states in the caller's transaction, each only over an older version, with one
   * history row each. Returns those written (the objects given, in the order given); the others lost to a newer version.
   */
  async record(states: RunState[], manager: EntityManager): Promise<RunState[]> {
    return this.runs.saveNewer(states, manager);
  }

  /** Caches states just written (after their transaction committed); they are no longer runs without state here either. */
  remember(states: RunState[]): Promise<boolean> {
    this.stateWrites++;
    this.withoutState.forget(states.map((state) => runKey(state.trainId, state.serviceDate)));
    return this.cache.setMany(states);
  }
}
