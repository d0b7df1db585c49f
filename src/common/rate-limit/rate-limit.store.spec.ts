import { describe, expect, it } from '@jest/globals';
import { MemoryRateLimitStore } from './rate-limit.store.js';

describe('MemoryRateLimitStore', () => {
  it('allows `limit` hits per window, then blocks for a window', async () => {
    const store = new MemoryRateLimitStore();
    const now = 1_000_000;
    for (let i = 1; i <= 3; i++) expect(await store.hit('k', 3, 60_000, now + i)).toMatchObject({ blocked: false, hits: i });
    expect(await store.hit('k', 3, 60_000, now + 10)).toEqual({ blocked: true, hits: 4, retryAfterSeconds: 60 });
    // Still blocked after the first window ended, until the block runs out.
    expect(await store.hit('k', 3, 60_000, now + 60_005)).toMatchObject({ blocked: true, retryAfterSeconds: 1 });
    expect(await store.hit('k', 3, 60_000, now + 60_011)).toMatchObject({ blocked: false, hits: 1 });
  });

  it('counts keys separately', async () => {
    const store = new MemoryRateLimitStore();
    expect(await store.hit('a', 1, 1000, 0)).toMatchObject({ blocked: false });
    expect(await store.hit('b', 1, 1000, 0)).toMatchObject({ blocked: false });
    expect(await store.hit('a', 1, 1000, 1)).toMatchObject({ blocked: true });
  });
});
