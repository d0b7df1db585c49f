import { describe, expect, it } from '@jest/globals';
import { similarity, strictWordSimilarity, trigramSequence, trigramSet } from './trigrams.js';

// Expected values are PostgreSQL 15's (pg_trgm 1.6), as printed by psql: float4, 8 significant digits.
const float4 = (printed: number) => Math.fround(printed);

describe('trigrams as pg_trgm makes them', () => {
  it('pads each word of letters and digits, lower-cased, with two spaces before and one after', () => {
    expect(trigramSequence('Goa').trigrams).toEqual(['  g', ' go', 'goa', 'oa ']);
    // Punctuation separates words and is dropped; a one-letter word still has two trigrams.
    expect(trigramSequence('H. Nizamuddin').trigrams.slice(0, 3)).toEqual(['  h', ' h ', '  n']);
    // show_trgm('Naïve café') has 11 trigrams: a character is a code point, not a byte.
    expect(trigramSet('Naïve café').size).toBe(11);
  });

  it('marks where each word starts and ends', () => {
    expect([...trigramSequence('ab cd').bounds]).toEqual([1, 0, 2, 1, 0, 2]);
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
  });
});
