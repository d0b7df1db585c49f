import { STATION_CODE_PATTERN } from '../common/validation/codes.js';

/**
 * How station search reads what a user typed. The SQL that matches and ranks stations is in
 * StationsRepository.search; what it looks for is decided here.
 *
 * Typos are caught with pg_trgm's strict word similarity (the `<<%` operator, which the trigram
 * indexes serve): a word of the query matches a whole word of a name or city when they share at
 * least half of their trigrams (pg_trgm.strict_word_similarity_threshold, whose default 0.5 we
 * keep). One dropped letter in a word of seven or more stays above it ("hydrabad" 0.58 against
 * "Hyderabad"); a different word of similar length falls below ("goa" 0.3 against "Goalpara").
 * Each word is matched on its own and all must match, so a shared word does not drag in other
 * stations ("mumbai central" does not find Chennai Central).
 */

/** Words shorter than this (letters and digits) match by substring only: a trigram of one or two letters says little. */
export const FUZZY_MIN_CHARS = 3;

/**
 * Trigram similarity of the whole query to one side of an alias pair for the other side to join
 * the search: one typo in "bangalore" still finds Bengaluru, but "mumbai" is not "mumbai central"
 * (0.47), whose alias would bring stations of neither name.
 */
export const ALIAS_SIMILARITY = 0.5;

/** A match through an alias ranks just below the same match of what was typed. */
export const ALIAS_WEIGHT = 0.9;

/** At most this many alias terms join a search, the most similar first. */
export const MAX_ALIAS_TERMS = 4;

/** One text to look for; weight (0-1] scales its similarities in the ranking. */
export interface SearchTerm {
  text: string;
  /** Every word must match the name or the city. */
  words: string[];
  weight: number;
  /** For an alias shaped like a station code (CSTM, VT): that station matches too. */
  code: string | null;
}

/** An alias pair that matched the query: its other side, and how similar the query was to the matched side. */
export interface AliasMatch {
  term: string;
  similarity: number;
  /** The matched side is the query itself, not a near miss. */
  exact: boolean;
}

export interface StationSearch {
  /** The query as a station code (upper case) when it could be one: exact, then prefix matches rank first. */
  code: string | null;
  /** What was typed, then alias terms. */
  terms: SearchTerm[];
}

/** Lower case, trimmed, inner runs of whitespace as one space; '' for nothing to search. */
export function normalizeSearchText(q: string | undefined): string {
  return (q ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whether a word is long enough to be matched by trigram similarity (typos) rather than only by substring. */
export function isFuzzy(word: string): boolean {
  return (word.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= FUZZY_MIN_CHARS;
}

/**
 * The text as a station code, or null when no station code looks like it. Codes of imported feeds
 * are stop ids, so digits (LIRR's `157`) and up to 16 characters count.
 */
export function asStationCode(text: string): string | null {
  const code = text.toUpperCase();
  return STATION_CODE_PATTERN.test(code) ? code : null;
}

/**
 * The old codes in station_aliases are Indian codes: letters, up to 8. An alias term counts as a
 * code only in that shape, so a city alias ("bengaluru") is not also looked up as a code.
 */
const ALIAS_CODE_PATTERN = /^[a-z]{1,8}$/;

const term = (text: string, weight: number, codeAlias: boolean): SearchTerm => ({
  text,
  words: text.split(' '),
  weight,
  code: codeAlias && ALIAS_CODE_PATTERN.test(text) ? asStationCode(text) : null,
});

/**
 * What to search for: the text itself (weight 1), then the other sides of the aliases it
 * matched, each once with its best similarity scaled by ALIAS_WEIGHT, most similar first (then
 * alphabetically, so the same query always builds the same search), at most MAX_ALIAS_TERMS.
 * Near misses are typo corrections: when the text is itself an alias, they are left out
 * ("bangalore" is one letter from "mangalore", another alias, but it was not misspelt).
 */
export function buildStationSearch(text: string, aliases: AliasMatch[]): StationSearch {
  const best = new Map<string, number>();
  const exactOnly = aliases.some((alias) => alias.exact);
  for (const { term: other, similarity, exact } of aliases) {
    if (exactOnly && !exact) continue;
    const normalized = normalizeSearchText(other);
    if (normalized === '' || normalized === text) continue;
    best.set(normalized, Math.max(best.get(normalized) ?? 0, similarity));
  }
  const aliasTerms = [...best]
    .map(([other, similarity]) => term(other, ALIAS_WEIGHT * similarity, true))
    .sort((a, b) => b.weight - a.weight || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .slice(0, MAX_ALIAS_TERMS);
  return { code: asStationCode(text), terms: [term(text, 1, false), ...aliasTerms] };
}
