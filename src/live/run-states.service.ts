import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type RunRef, runKey, type RunState } from './run-state.js';
import { RunStateCache } from './run-state.cache.js';
import { TrainRunsRepository } from './train-runs.repository.js';

export interface LoadedStates {
  states: Map<string, RunState>;
  /** Whether the cache answered; false means everything came from PostgreSQL. */
  fromCache: boolean;
}

/** Run states: read from the cache first, PostgreSQL (the source of truth) for the rest; written to PostgreSQL, then cached. */
@Injectable()
export class RunStatesService {
  constructor(
    private readonly cache: RunStateCache,
    private readonly runs: TrainRunsRepository,
  ) {}

  async load(refs: RunRef[]): Promise<LoadedStates> {
    const keys = refs.map((ref) => runKey(ref.trainId, ref.serviceDate));
    const cached = await this.cache.getMany(keys);
    const states = new Map<string, RunState>();
    cached?.forEach((state, index) => state && states.set(keys[index], state));
    const missing = refs.filter((_, index) => !states.has(keys[index]));
    if (missing.length > 0) {
      const stored = await this.runs.findMany(missing);
      for (const state of stored) states.set(runKey(state.trainId, state.serviceDate), state);
      // Warm the cache with what it lacked, so the next read is one round trip.
      if (cached && stored.length > 0) await this.cache.setMany(stored);
    }
    return { states, fromCache: cached !== null };
  }

  /** Re-reads states from PostgreSQL and refreshes the cache (after a lost conditional write). */
  async reload(refs: RunRef[]): Promise<RunState[]> {
    const stored = await this.runs.findMany(refs);
    await this.cache.setMany(stored);
    return stored;
  }

  /**
   * Writes the states in the caller's transaction, each only over an older version, with one
   * history row each. Returns those written; the others lost to a newer version.
   */
  async record(states: RunState[], manager: EntityManager): Promise<RunState[]> {
    const saved = await this.runs.saveNewer(states, manager);
    await this.runs.appendHistory(saved, manager);
    return saved.map(({ state }) => state);
  }

  remember(states: RunState[]): Promise<boolean> {
    return this.cache.setMany(states);
  }
}
