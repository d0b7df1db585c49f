import { describe, expect, it } from '@jest/globals';
import { similarity, strictWordSimilarity, TrigramIds, trigramSequence, trigramSet } from './trigrams.js';

// Expected values are PostgreSQL 15's (pg_trgm 1.6), as printed by psql: float4, 8 significant digits.
const float4 = (printed: number) => Math.fround(printed);

describe('trigrams as pg_trgm makes them', () => {
  it('pads each word of letters and digits, lower-cased, with two spaces before and one after', () => {
    expect([...trigramSet('Goa')]).toEqual(['  g', ' go', 'goa', 'oa ']);
    // Punctuation separates words and is dropped; a one-letter word still has two trigrams.
    expect([...trigramSet('H. Nizamuddin')].slice(0, 3)).toEqual(['  h', ' h ', '  n']);
    // show_trgm('Naïve café') has 11 trigrams: a character is a code point, not a byte.
    expect(trigramSet('Naïve café').size).toBe(11);
  });

  it('numbers trigrams once per index, and marks where each word starts and ends', () => {
    const ids = new TrigramIds();
    const text = trigramSequence('ab cd ab', ids);
    expect([...text.trigrams]).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2]);
    expect([...text.bounds]).toEqual([1, 0, 2, 1, 0, 2, 1, 0, 2]);
    expect(ids.size).toBe(6);
  });

  it('computes similarity() as PostgreSQL does', () => {
    expect(similarity('word', 'two words')).toBe(float4(0.36363637));
    expect(similarity('banglore', 'bangalore')).toBe(float4(0.5833333));
    expect(similarity('', 'anything')).toBe(0);
  });

  it('computes strict_word_similarity() as PostgreSQL does, over whole words only', () => {
    expect(strictWordSimilarity('word', 'two words')).toBe(float4(0.5714286));
    expect(strictWordSimilarity('hydrabad', 'Hyderabad Deccan Hyderabad')).toBe(float4(0.5833333));
    expect(strictWordSimilarity('goa', 'Goalpara')).toBe(float4(0.3));
    expect(strictWordSimilarity('mumbai central', 'Chennai Central Chennai')).toBe(float4(0.53333336));
    expect(strictWordSimilarity('abc', 'x abcx abc')).toBe(1);
    expect(strictWordSimilarity('abc', '')).toBe(0);
    // A repeated word, and a query trigram no text has, count as pg_trgm counts them.
    expect(strictWordSimilarity('mumbai', 'Mumbai Mumbai Central')).toBe(1);
    expect(strictWordSimilarity('mumbaiz', 'Mumbai Central')).toBe(float4(0.6666667));
  });
});
