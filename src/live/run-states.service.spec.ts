import { describe, expect, it } from '@jest/globals';
import type { RunStateCache } from './run-state.cache.js';
import { type RunRef, runKey, type RunState, scheduledState } from './run-state.js';
import { RunStatesService } from './run-states.service.js';
import { RunsWithoutState } from './runs-without-state.js';
import type { TrainRunsRepository } from './train-runs.repository.js';

const DATE = '2026-11-24';
const ref = (trainId: string): RunRef => ({ trainId, serviceDate: DATE });
const stateOf = (trainId: string, version = 1): RunState => ({ ...scheduledState(trainId, '12951', DATE), version });

/** Redis in memory; `down` makes reads and writes fail as RunStateCache reports them (null / false). */
class FakeCache {
  values = new Map<string, RunState>();
  down = false;
  async getMany(keys: string[]) {
    return this.down ? null : keys.map((key) => this.values.get(key));
  }
  async setMany(states: RunState[]) {
    if (this.down) return false;
    for (const state of states) this.values.set(runKey(state.trainId, state.serviceDate), state);
    return true;
  }
}

/** train_runs in memory, counting the lookups that reach it. */
class FakeRuns {
  rows = new Map<string, RunState>();
  lookups: string[][] = [];
  async findMany(refs: RunRef[]) {
    this.lookups.push(refs.map((r) => r.trainId));
    return refs.flatMap((r) => this.rows.get(runKey(r.trainId, r.serviceDate)) ?? []);
  }
}

function setUp() {
  const cache = new FakeCache();
  const runs = new FakeRuns();
  const service = new RunStatesService(cache as unknown as RunStateCache, runs as unknown as TrainRunsRepository);
  const store = (state: RunState) => runs.rows.set(runKey(state.trainId, state.serviceDate), state);
  return { cache, runs, service, store };
}

describe('RunStatesService', () => {
  it('finds a state PostgreSQL has and the cache lost, and puts it back in the cache', async () => {
    const { cache, runs, service, store } = setUp();
    store(stateOf('a', 4));
    const { states } = await service.read([ref('a')]);
    expect(states.get(runKey('a', DATE))?.version).toBe(4);
    expect(cache.values.get(runKey('a', DATE))?.version).toBe(4);
    await service.read([ref('a')]);
    expect(runs.lookups).toEqual([['a']]);
  });

  it('asks PostgreSQL once about runs without a state, then reads them as such for a while', async () => {
    const { runs, service } = setUp();
    expect((await service.read([ref('a'), ref('b')])).states.size).toBe(0);
    expect((await service.read([ref('a'), ref('b'), ref('c')])).states.size).toBe(0);
    expect(runs.lookups).toEqual([['a', 'b'], ['c']]);
  });

  it('still asks PostgreSQL for every run the cache lacks when the tick loads states', async () => {
    const { runs, service } = setUp();
    await service.read([ref('a')]);
    await service.load([ref('a')]);
    expect(runs.lookups).toEqual([['a'], ['a']]);
  });

  it('reads a state this instance wrote, even when its cache write failed', async () => {
    const { cache, service, store } = setUp();
    await service.read([ref('a')]);
    cache.down = true;
    store(stateOf('a', 1));
    expect(await service.remember([stateOf('a', 1)])).toBe(false);
    cache.down = false;
    expect((await service.read([ref('a')])).states.get(runKey('a', DATE))?.version).toBe(1);
  });

  it('trusts no earlier absence once the cache could not be read: writes meanwhile reached PostgreSQL only', async () => {
    const { cache, service, store } = setUp();
    await service.read([ref('a')]);
    cache.down = true;
    await service.read([ref('b')]);
    // Another instance wrote while Redis was away.
    store(stateOf('a', 2));
    cache.down = false;
    expect((await service.read([ref('a')])).states.get(runKey('a', DATE))?.version).toBe(2);
  });

  it('reads every run from PostgreSQL while the cache is down', async () => {
    const { cache, runs, service } = setUp();
    cache.down = true;
    await service.read([ref('a')]);
    await service.read([ref('a')]);
    expect(runs.lookups).toEqual([['a'], ['a']]);
  });
});

describe('RunsWithoutState', () => {
  it('trusts an absence for its time to live, and forgets runs on request', () => {
    let now = 0;
    const runs = new RunsWithoutState(10_000, () => now);
    runs.remember(['a', 'b']);
    now = 9_999;
    expect([runs.has('a'), runs.has('b'), runs.has('c')]).toEqual([true, true, false]);
    runs.forget(['b']);
    expect(runs.has('b')).toBe(false);
    now = 10_000;
    expect(runs.has('a')).toBe(false);
    runs.remember(['c']);
    runs.forgetAll();
    expect(runs.has('c')).toBe(false);
  });
});
