import { yieldToEventLoop } from '../common/event-loop/yield.js';
import { boundingBoxes, type LatLon, type Located, withinRadius } from './geo.js';
import type { Station } from './station.entity.js';
import { ALIAS_SIMILARITY, type AliasMatch, isFuzzy, type SearchTerm, type StationSearch } from './station-search.js';
import { setSimilarity, STRICT_WORD_SIMILARITY_THRESHOLD, strictWordSimilarityOf, trigramSequence, trigramSet, type TrigramSequence } from './trigrams.js';

/** A pair of names for one place (station_aliases), searched both ways. */
export interface StationAlias {
  name: string;
  alias: string;
}

/** A station as search reads it. */
interface Entry {
  station: Station;
  nameLower: string;
  /** Name and city, lower case: what a word is looked for in as a substring. */
  textLower: string;
  /** Trigrams of the name's words, then the city's. */
  trigrams: TrigramSequence;
  /** Where the city's trigrams start. */
  nameEnd: number;
}

/** A matching station with what orders it (see StationIndex.search). */
interface Ranked {
  entry: Entry;
  tier: number;
  score: number;
  nameScore: number;
  closeness: number;
}

/** Stations handled between two yields to the event loop while the index is built. */
const STATIONS_PER_SLICE = 2000;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byNameThenCode = (a: Station, b: Station) => compareText(a.name, b.name) || compareText(a.code, b.code);
/** Letters and digits only: a word whose every window of three is a trigram of any text containing it. */
const PLAIN_WORD = /^[\p{L}\p{N}]+$/u;

/**
 * Every station in memory, for search, nearby and lookups by code without a query: built with
 * the catalog version it was read at (StationIndexService keeps it current).
 *
 * Search answers what the pg_trgm query it replaces answered (same matches, scores, order; see
 * trigrams.ts). Candidates come from an inverted index of trigrams: a word can match a text by
 * strict word similarity (≥ 0.5) only if the text has at least half of the word's trigrams, and
 * as a substring only if it has every window of three of the word; only those candidates are
 * checked exactly, and only the matches are scored. Words of one or two letters (or with other
 * characters) are looked for in every station, as the SQL did.
 */
export class StationIndex {
  private constructor(
    readonly version: string,
    private readonly entries: Entry[],
    private readonly byCode: Map<string, number>,
    private readonly byId: Map<string, Station>,
    /** Indexes of entries, by code: a code prefix is a run of it. */
    private readonly codeOrder: number[],
    /** Every station by name, then code. */
    private readonly byName: Station[],
    /** Stations with coordinates, by latitude. */
    private readonly byLatitude: Station[],
    /** Entries whose name or city has the trigram (each once, in entry order). */
    private readonly postings: Map<string, Int32Array>,
    private readonly aliases: Array<StationAlias & { nameTrigrams: Set<string>; aliasTrigrams: Set<string> }>,
    /** Per entry, how many of a word's trigrams it has (reused; zeroed after each word). */
    private readonly counts: Uint16Array,
  ) {}

  /** Builds the index, yielding to the event loop every STATIONS_PER_SLICE stations. */
  static async build(version: string, stations: Station[], aliases: StationAlias[], perSlice = STATIONS_PER_SLICE): Promise<StationIndex> {
    const shared = new Map<string, string>();
    const intern = (trigram: string) => {
      const known = shared.get(trigram);
      if (known !== undefined) return known;
      shared.set(trigram, trigram);
      return trigram;
    };
    const entries: Entry[] = [];
    const lists = new Map<string, number[]>();
    for (let i = 0; i < stations.length; i++) {
      if (i > 0 && i % perSlice === 0) await yieldToEventLoop();
      const station = stations[i];
      const name = trigramSequence(station.name, intern);
      const city = trigramSequence(station.city ?? '', intern);
      const bounds = new Uint8Array(name.bounds.length + city.bounds.length);
      bounds.set(name.bounds);
      bounds.set(city.bounds, name.bounds.length);
      const trigrams = { trigrams: [...name.trigrams, ...city.trigrams], bounds };
      entries.push({
        station,
        nameLower: station.name.toLowerCase(),
        textLower: `${station.name} ${station.city ?? ''}`.toLowerCase(),
        trigrams,
        nameEnd: name.trigrams.length,
      });
      for (const trigram of new Set(trigrams.trigrams)) {
        const list = lists.get(trigram);
        if (list) list.push(i);
        else lists.set(trigram, [i]);
      }
    }
    await yieldToEventLoop();
    const postings = new Map<string, Int32Array>();
    for (const [trigram, list] of lists) postings.set(trigram, Int32Array.from(list));
    await yieldToEventLoop();
    const codeOrder = entries.map((_, i) => i).sort((a, b) => compareText(entries[a].station.code, entries[b].station.code));
    const byName = [...stations].sort(byNameThenCode);
    const byLatitude = stations.filter((s) => s.latitude !== null && s.longitude !== null).sort((a, b) => a.latitude! - b.latitude!);
    return new StationIndex(
      version,
      entries,
      new Map(entries.map((entry, i) => [entry.station.code, i])),
      new Map(stations.map((station) => [station.id, station])),
      codeOrder,
      byName,
      byLatitude,
      postings,
      aliases.map((pair) => ({ ...pair, nameTrigrams: trigramSet(pair.name), aliasTrigrams: trigramSet(pair.alias) })),
      new Uint16Array(entries.length),
    );
  }

  get size(): number {
    return this.entries.length;
  }

  byStationCode(code: string): Station | undefined {
    const i = this.byCode.get(code);
    return i === undefined ? undefined : this.entries[i].station;
  }

  byStationId(id: string): Station | undefined {
    return this.byId.get(id);
  }

  /** A page of every station, by name then code. */
  list(offset: number, limit: number): { items: Station[]; total: number } {
    return { items: this.byName.slice(offset, offset + limit), total: this.byName.length };
  }

  /**
   * Alias pairs with a side equal to the text or, when fuzzy, at least ALIAS_SIMILARITY similar
   * to it as a whole: the other side of each, that similarity (1 when equal), and whether the
   * side was the text itself.
   */
  aliasesMatching(text: string, fuzzy: boolean): AliasMatch[] {
    const typed = fuzzy ? trigramSet(text) : null;
    const matches: AliasMatch[] = [];
    const side = (value: string, trigrams: Set<string>, other: string) => {
      if (value === text) return matches.push({ term: other, similarity: 1, exact: true });
      const similarity = typed ? setSimilarity(typed, trigrams) : 0;
      if (typed && similarity >= ALIAS_SIMILARITY) matches.push({ term: other, similarity, exact: false });
    };
    for (const pair of this.aliases) {
      side(pair.alias, pair.aliasTrigrams, pair.name);
      side(pair.name, pair.nameTrigrams, pair.alias);
    }
    return matches;
  }

  /**
   * Stations matching a search, best first, and how many match in all:
   * 1. the code typed, exactly; 2. codes starting with it; 3. the rest by how well a term
   *    matches the name or city (strict word similarity, times the term's weight), then stations
   *    whose name matches before those matched by city only, then the closer whole name, then
   *    name and code (so equal scores always come in the same order).
   * A station matches a term when every word of it is in the name or the city, as a substring
   * or (from FUZZY_MIN_CHARS letters) by strict word similarity, which forgives typos; an alias
   * term shaped like a code also matches that station.
   */
  search({ code, terms }: StationSearch, offset: number, limit: number): { items: Station[]; total: number } {
    const matched = new Set<number>();
    if (code) for (const i of this.codesStartingWith(code)) matched.add(i);
    for (const term of terms) {
      for (const i of this.matchingEveryWord(term.words)) matched.add(i);
      const byCode = term.code === null ? undefined : this.byCode.get(term.code);
      if (byCode !== undefined) matched.add(byCode);
    }
    const fuzzyTerms = terms.map((term) => (isFuzzy(term.text) ? trigramSet(term.text) : null));
    const ranked = [...matched].map((i) => this.rank(this.entries[i], code, terms, fuzzyTerms));
    ranked.sort(
      (a, b) =>
        a.tier - b.tier ||
        b.score - a.score ||
        b.nameScore - a.nameScore ||
        b.closeness - a.closeness ||
        byNameThenCode(a.entry.station, b.entry.station),
    );
    return { items: ranked.slice(offset, offset + limit).map(({ entry }) => entry.station), total: ranked.length };
  }

  /**
   * Stations within radiusKm of a point, nearest first (then by code): those in the bounding
   * boxes of the circle (a run of the latitude order), trimmed to the circle by exact distance.
   */
  nearby(center: LatLon, radiusKm: number): Located<Station>[] {
    const inBoxes = new Set<Station>();
    for (const box of boundingBoxes(center, radiusKm)) {
      for (let i = this.firstAtLatitude(box.south); i < this.byLatitude.length && this.byLatitude[i].latitude! <= box.north; i++) {
        const station = this.byLatitude[i];
        if (station.longitude! >= box.west && station.longitude! <= box.east) inBoxes.add(station);
      }
    }
    return withinRadius(center, radiusKm, [...inBoxes], (a, b) => compareText(a.code, b.code));
  }

  private firstAtLatitude(south: number): number {
    let [low, high] = [0, this.byLatitude.length];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.byLatitude[mid].latitude! < south) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private *codesStartingWith(prefix: string): Generator<number> {
    let [low, high] = [0, this.codeOrder.length];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[this.codeOrder[mid]].station.code < prefix) low = mid + 1;
      else high = mid;
    }
    for (let at = low; at < this.codeOrder.length && this.entries[this.codeOrder[at]].station.code.startsWith(prefix); at++) yield this.codeOrder[at];
  }

  /** Entries matching every word: candidates of the longest word, each checked against all words. */
  private matchingEveryWord(words: string[]): number[] {
    const checks = words.map((word) => ({ word, trigrams: isFuzzy(word) ? trigramSet(word) : null }));
    const driver = words.reduce((longest, word) => (word.length > longest.length ? word : longest));
    return this.candidatesFor(driver).filter((i) => checks.every((check) => this.wordMatches(this.entries[i], check.word, check.trigrams)));
  }

  /** A word is in the name or city as a substring, or (fuzzy words) matches a run of its words by strict word similarity. */
  private wordMatches(entry: Entry, word: string, trigrams: Set<string> | null): boolean {
    return entry.textLower.includes(word) || (trigrams !== null && strictWordSimilarityOf(trigrams, entry.trigrams) >= STRICT_WORD_SIMILARITY_THRESHOLD);
  }

  /** Entries that may match the word (a superset of those that do). */
  private candidatesFor(word: string): number[] {
    const chars = [...word];
    if (!PLAIN_WORD.test(word) || chars.length < 3) return this.entries.map((_, i) => i);
    const windows = new Set<string>();
    for (let i = 0; i + 3 <= chars.length; i++) windows.add(chars[i] + chars[i + 1] + chars[i + 2]);
    // Every window is one of the word's trigrams; a fuzzy match needs half of those.
    const trigrams = trigramSet(word);
    const needed = Math.min(Math.ceil(trigrams.size / 2), windows.size);
    const touched: number[] = [];
    for (const trigram of trigrams) {
      for (const i of this.postings.get(trigram) ?? []) if (this.counts[i]++ === 0) touched.push(i);
    }
    const candidates = touched.filter((i) => this.counts[i] >= needed);
    for (const i of touched) this.counts[i] = 0;
    return candidates.sort((a, b) => a - b);
  }

  /**
   * The ordering values of a match, computed as the SQL did, in float32 where PostgreSQL's were
   * float4 (real): per term, weight × the best of name, city (strict word similarity) and an
   * alias's code; the name's part only when the name itself matches the term; the closeness of
   * the whole name (similarity). Terms of one or two letters score by code only.
   */
  private rank(entry: Entry, code: string | null, terms: SearchTerm[], fuzzyTerms: Array<Set<string> | null>): Ranked {
    const { station } = entry;
    const tier = code === null ? 2 : station.code === code ? 0 : station.code.startsWith(code) ? 1 : 2;
    let score = 0;
    let nameScore = 0;
    let closeness = 0;
    terms.forEach((term, t) => {
      const weight = Math.fround(term.weight);
      const byCode = term.code !== null && station.code === term.code ? 1 : 0;
      const trigrams = fuzzyTerms[t];
      if (trigrams === null) {
        score = Math.max(score, weight * byCode);
        nameScore = Math.max(nameScore, weight * byCode);
        return;
      }
      const name = strictWordSimilarityOf(trigrams, entry.trigrams, 0, entry.nameEnd);
      const city = station.city === null ? 0 : strictWordSimilarityOf(trigrams, entry.trigrams, entry.nameEnd);
      const named = name >= STRICT_WORD_SIMILARITY_THRESHOLD || entry.nameLower.includes(term.text);
      score = Math.max(score, Math.fround(weight * Math.max(name, city, byCode)));
      nameScore = Math.max(nameScore, Math.fround(weight * Math.max(named ? name : 0, byCode)));
      if (named) closeness = Math.max(closeness, Math.fround(weight * setSimilarity(trigrams, new Set(entry.trigrams.trigrams.slice(0, entry.nameEnd)))));
    });
    return { entry, tier, score, nameScore, closeness };
  }
}
