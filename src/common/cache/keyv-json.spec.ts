import { describe, expect, it } from '@jest/globals';
import { Keyv } from 'keyv';
import { deserializeEntry } from './keyv-json.js';

// Keyv's own (de)serializer, as the cache's store uses it.
const keyv = new Keyv();
const defaultSerialize = (entry: { value: unknown; expires?: number }) => keyv.serialize!(entry) as string;
const defaultDeserialize = (text: string) => keyv.deserialize!(text) as { value?: unknown; expires?: number } | undefined;

const entries = [
  { value: { trainId: 'a1b2', serviceDate: '2026-11-24', delayMinutes: 12, departedLastStop: true, platform: null, actuals: [{ sequence: 2, arrivedAt: '2026-11-24T09:00:00.000Z' }] }, expires: 1795981788648 },
  { value: { platform: ':1', note: 'ends with a colon:' } },
  { value: { list: [':x', 'y', ':'], nested: { deep: ':z' } } },
  { value: { text: 'quote " and "colon": inside', empty: '', unicode: 'Gaṅgā → ✓', back: 'back\\slash' }, expires: 1 },
  { value: [1, null, 'a', { b: ':c' }] },
  { value: { bytes: Buffer.from('hi') } },
  { value: { skipped: undefined, kept: 0, nan: Number.NaN, when: new Date('2026-11-24T10:00:00Z') } },
];

describe('reading Keyv’s entries', () => {
  it('reads back what Keyv reads, from its text', async () => {
    for (const entry of entries) {
      const text = defaultSerialize(entry);
      expect(await deserializeEntry(text, defaultDeserialize)).toEqual(defaultDeserialize(text));
    }
  });

  it('uses the native reader where no string starts with a colon, Keyv’s otherwise', () => {
    const calls: string[] = [];
    const keyvDeserialize = (text: string) => (calls.push('deserialize'), defaultDeserialize(text));
    deserializeEntry(defaultSerialize(entries[0]), keyvDeserialize);
    expect(calls).toEqual([]);
    deserializeEntry(defaultSerialize(entries[1]), keyvDeserialize);
    expect(calls).toEqual(['deserialize']);
  });
});
