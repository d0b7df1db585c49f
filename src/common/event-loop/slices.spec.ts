import { describe, expect, it } from '@jest/globals';
import { EventLoopSlices, mapInSlices } from './slices.js';

/** A clock that moves only when the work under test says it took time. */
const fakeClock = () => {
  let now = 0;
  return { now: () => now, spend: (ms: number) => (now += ms) };
};

/** Maps items of the given costs, recording before each how many turns the event loop has taken. */
async function traced(budgetMs: number, costs: number[]) {
  const clock = fakeClock();
  // Counts loop turns: an immediate that schedules itself runs once per turn.
  let turns = 0;
  let counting = true;
  const count = () => {
    turns++;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  const seen: number[] = [];
  const results = await mapInSlices(
    costs,
    (cost, index) => {
      seen.push(turns);
      clock.spend(cost);
      return index * 10;
    },
    new EventLoopSlices(budgetMs, clock.now),
  );
  counting = false;
  return { results, seen };
}

describe('mapInSlices', () => {
  it('maps every item in order, letting the event loop run each time a slice has used its budget', async () => {
    // Budget 10: items of 4 ms → a yield before the 4th item (12 ms used) and before the 7th (12 more).
    const { results, seen } = await traced(10, [4, 4, 4, 4, 4, 4, 4]);
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[3]).toBeGreaterThan(seen[2]);
    expect(seen[4]).toBe(seen[3]);
    expect(seen[6]).toBeGreaterThan(seen[5]);
  });

  it('does not yield while the budget lasts', async () => {
    const { seen } = await traced(100, [1, 1, 1]);
    expect(new Set(seen).size).toBe(1);
  });
});

describe('EventLoopSlices', () => {
  it('is due once its budget is used, and starts a new slice after yielding', async () => {
    const clock = fakeClock();
    const slices = new EventLoopSlices(5, clock.now);
    clock.spend(4);
    expect(slices.due()).toBe(false);
    clock.spend(1);
    expect(slices.due()).toBe(true);
    let ranDuring = false;
    setImmediate(() => (ranDuring = true));
    await slices.next();
    expect(ranDuring).toBe(true);
    expect(slices.due()).toBe(false);
  });
});
