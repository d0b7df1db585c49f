import { describe, expect, it } from '@jest/globals';
import { ALIAS_WEIGHT, asStationCode, buildStationSearch, isFuzzy, MAX_ALIAS_TERMS, normalizeSearchText } from './station-search.js';

describe('normalizeSearchText', () => {
  it('lower-cases, trims and collapses whitespace', () => {
    expect(normalizeSearchText('  New \t  DELHI ')).toBe('new delhi');
    expect(normalizeSearchText(undefined)).toBe('');
    expect(normalizeSearchText('   ')).toBe('');
  });
});

describe('isFuzzy', () => {
  it('needs three letters or digits for trigram matching', () => {
    expect(isFuzzy('nd')).toBe(false);
    expect(isFuzzy('pt.')).toBe(false);
    expect(isFuzzy('new')).toBe(true);
    expect(isFuzzy('ñan')).toBe(true);
    expect(isFuzzy('%_%')).toBe(false);
  });
});

describe('asStationCode', () => {
  it('reads a code in any case, and nothing a code cannot be', () => {
    expect(asStationCode('ndls')).toBe('NDLS');
    expect(asStationCode('new delhi')).toBeNull();
    // A feed's stop ids are codes too (LIRR's 157, Sound Transit's TL_STDIST), up to 16 characters.
    expect(asStationCode('157')).toBe('157');
    expect(asStationCode('tl_stdist')).toBe('TL_STDIST');
    expect(asStationCode('abcdefghijklmnopq')).toBeNull();
    expect(asStationCode('nd%')).toBeNull();
  });
});

describe('buildStationSearch', () => {
  it('searches the text itself first, word by word, and as a code when it can be one', () => {
    expect(buildStationSearch('ndls', [])).toEqual({ code: 'NDLS', terms: [{ text: 'ndls', words: ['ndls'], weight: 1, code: null }] });
    expect(buildStationSearch('new delhi', [])).toEqual({
      code: null,
      terms: [{ text: 'new delhi', words: ['new', 'delhi'], weight: 1, code: null }],
    });
  });

  it('adds the other side of each alias once, at its best similarity, below what was typed', () => {
    const search = buildStationSearch('banglore', [
      { term: 'bengaluru', similarity: 0.58, exact: false },
      { term: 'Bengaluru', similarity: 0.6, exact: false },
      { term: 'ksr bengaluru', similarity: 0.52, exact: false },
    ]);
    expect(search.terms).toEqual([
      { text: 'banglore', words: ['banglore'], weight: 1, code: null },
      // Nine letters: longer than any station code.
      { text: 'bengaluru', words: ['bengaluru'], weight: ALIAS_WEIGHT * 0.6, code: null },
      { text: 'ksr bengaluru', words: ['ksr', 'bengaluru'], weight: ALIAS_WEIGHT * 0.52, code: null },
    ]);
  });

  it('lets an alias shaped like a code match that station', () => {
    const search = buildStationSearch('vt', [{ term: 'csmt', similarity: 1, exact: true }]);
    expect(search.terms[1]).toEqual({ text: 'csmt', words: ['csmt'], weight: ALIAS_WEIGHT, code: 'CSMT' });
    // What was typed is a code only as the code itself (exact or prefix), never as an alias.
    expect(search.terms[0].code).toBeNull();
  });

  it('drops near misses when the text is itself an alias', () => {
    const search = buildStationSearch('bangalore', [
      { term: 'bengaluru', similarity: 1, exact: true },
      { term: 'mangaluru', similarity: 0.54, exact: false },
    ]);
    expect(search.terms.map((term) => term.text)).toEqual(['bangalore', 'bengaluru']);
  });

  it('ignores an alias equal to the text, and keeps the most similar few in a fixed order', () => {
    const aliases = ['e', 'd', 'c', 'b', 'a', 'bombay'].map((term) => ({ term, similarity: 0.7, exact: false }));
    const search = buildStationSearch('bombay', [...aliases, { term: 'z', similarity: 0.9, exact: false }]);
    expect(search.terms.map((term) => term.text)).toEqual(['bombay', 'z', 'a', 'b', 'c'].slice(0, MAX_ALIAS_TERMS + 1));
    expect(buildStationSearch('bombay', [...aliases].reverse())).toEqual(buildStationSearch('bombay', aliases));
  });
});
