import { describe, expect, it } from '@jest/globals';
import { Keyv } from 'keyv';
import { withPlainParse } from './cache.module.js';

describe('withPlainParse', () => {
  const keyv = new Keyv();
  const revive = keyv.deserialize!;
  const parse = withPlainParse(revive);
  const stored = (value: unknown) => keyv.serialize!({ value, expires: 1_800_000_000_000 }) as string;

  it('reads what Keyv stored exactly as Keyv reads it, escaped strings and binaries included', async () => {
    const values = [
      { trainId: 't1', serviceDate: '2026-11-24', version: 3, actuals: [{ sequence: 1, arrivedAt: null }] },
      { platform: ':4', names: [':a', 'b:', '::c'], ':key': 'value' },
      [':first', { nested: ':x' }],
      { bytes: Buffer.from('train') },
      'a "quoted" :string',
      ':',
    ];
    for (const value of values) expect(await parse(stored(value))).toEqual(await revive(stored(value)));
  });

  it('parses text with no string starting with a colon without the reviver', () => {
    let revived = 0;
    const counted = withPlainParse((text) => (revived++, revive(text)));
    expect(counted('{"value":{"platform":"4","note":"a:b","at":"12:30"},"expires":null}')).toEqual({ value: { platform: '4', note: 'a:b', at: '12:30' }, expires: null });
    expect(revived).toBe(0);
    counted(stored({ platform: ':4' }));
    expect(revived).toBe(1);
  });
});
