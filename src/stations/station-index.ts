import { yieldToEventLoop } from '../common/event-loop/slices.js';
import { BoundedMemo } from '../common/memo/bounded-memo.js';
import { boundingBoxes, type LatLon, type Located, withinRadius } from './geo.js';
import type { Station } from './station.entity.js';
import { ALIAS_SIMILARITY, type AliasMatch, buildStationSearch, isFuzzy, type SearchTerm, type StationSearch } from './station-search.js';
import { type QueryTrigrams, queryTrigrams, STRICT_WORD_SIMILARITY_THRESHOLD, TrigramIds, TrigramScorer, trigramSequence, type TrigramSequence } from './trigrams.js';

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
  /** Its place in the order by name, then code (the last tie-breaker of a search). */
  order: number;
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
const STATIONS_PER_SLICE = 1000;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byNameThenCode = (a: Station, b: Station) => compareText(a.name, b.name) || compareText(a.code, b.code);
/** Letters and digits only: a word whose every window of three is a trigram of any text containing it. */
const PLAIN_WORD = /^[\p{L}\p{N}]+$/u;
const EMPTY = new Int32Array(0);

/** Query texts whose ranking a station index keeps (a few thousand station references each at most). */
const SEARCH_MEMO_SIZE = 1000;

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
    private readonly ids: TrigramIds,
    /** Entries whose name or city has the trigram, by trigram number (each entry once, in entry order). */
    private readonly postings: Int32Array[],
    private readonly aliases: Array<StationAlias & { nameTrigrams: TrigramSequence; aliasTrigrams: TrigramSequence }>,
  ) {
    this.scorer = new TrigramScorer(ids);
    this.marks = new Uint8Array(entries.length);
  }

  private readonly scorer: TrigramScorer;
  /** Rankings of the query texts searched lately (searchText). */
  private readonly rankings = new BoundedMemo<string, Station[]>(SEARCH_MEMO_SIZE);
  /** Per entry, whether it is a candidate of the word being looked up (reused; cleared after each word). */
  private readonly marks: Uint8Array;

  /** Builds the index, yielding to the event loop every STATIONS_PER_SLICE stations. */
  static async build(version: string, stations: Station[], aliases: StationAlias[], perSlice = STATIONS_PER_SLICE): Promise<StationIndex> {
    const ids = new TrigramIds();
    const byName = [...stations].sort(byNameThenCode);
    const order = new Map(byName.map((station, i) => [station, i]));
    await yieldToEventLoop();
    const entries: Entry[] = [];
    const lists: number[][] = [];
    for (let i = 0; i < stations.length; i++) {
      if (i > 0 && i % perSlice === 0) await yieldToEventLoop();
      const station = stations[i];
      const name = trigramSequence(station.name, ids);
      const city = trigramSequence(station.city ?? '', ids);
      const trigrams = new Int32Array(name.trigrams.length + city.trigrams.length);
      trigrams.set(name.trigrams);
      trigrams.set(city.trigrams, name.trigrams.length);
      const bounds = new Uint8Array(trigrams.length);
      bounds.set(name.bounds);
      bounds.set(city.bounds, name.bounds.length);
      entries.push({
        station,
        nameLower: station.name.toLowerCase(),
        textLower: `${station.name} ${station.city ?? ''}`.toLowerCase(),
        trigrams: { trigrams, bounds },
        nameEnd: name.trigrams.length,
        order: order.get(station)!,
      });
      for (const trigram of new Set(trigrams)) (lists[trigram] ??= []).push(i);
    }
    await yieldToEventLoop();
    const aliasTrigrams = aliases.map((pair) => ({ ...pair, nameTrigrams: trigramSequence(pair.name, ids), aliasTrigrams: trigramSequence(pair.alias, ids) }));
    const postings = Array.from({ length: ids.size }, (_, trigram) => Int32Array.from(lists[trigram] ?? []));
    await yieldToEventLoop();
    const codeOrder = entries.map((_, i) => i).sort((a, b) => compareText(entries[a].station.code, entries[b].station.code));
    await yieldToEventLoop();
    const byLatitude = stations.filter((s) => s.latitude !== null && s.longitude !== null).sort((a, b) => a.latitude! - b.latitude!);
    await yieldToEventLoop();
    const byCode = new Map(entries.map((entry, i) => [entry.station.code, i]));
    const byId = new Map(stations.map((station) => [station.id, station]));
    await yieldToEventLoop();
    return new StationIndex(
      version,
      entries,
      byCode,
      byId,
      codeOrder,
      byName,
      byLatitude,
      ids,
      postings,
      aliasTrigrams,
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
    const typed = fuzzy ? queryTrigrams(text, this.ids) : null;
    const matches: AliasMatch[] = [];
    const side = (value: string, trigrams: TrigramSequence, other: string) => {
      if (value === text) return matches.push({ term: other, similarity: 1, exact: true });
      const similarity = typed ? this.scorer.similarity(typed, trigrams) : 0;
      if (similarity >= ALIAS_SIMILARITY) matches.push({ term: other, similarity, exact: false });
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
  search(search: StationSearch, offset: number, limit: number): { items: Station[]; total: number } {
    const ranked = this.ranking(search);
    return { items: ranked.slice(offset, offset + limit), total: ranked.length };
  }

  /**
   * The stations a query text matches (normalized: see normalizeSearchText), ranked as search()
   * ranks them, aliases included. The ranking of a text is worked out once and kept (up to
   * SEARCH_MEMO_SIZE texts): this index is one catalog version's, so it cannot change, and the
   * same few texts come again and again (a place name, typed by everyone going there).
   */
  searchText(text: string, offset: number, limit: number): { items: Station[]; total: number } {
    const ranked = this.rankings.get(text, () => this.ranking(buildStationSearch(text, this.aliasesMatching(text, isFuzzy(text)))));
    return { items: ranked.slice(offset, offset + limit), total: ranked.length };
  }

  private ranking({ code, terms }: StationSearch): Station[] {
    const matched = new Set<number>();
    if (code) for (const i of this.codesStartingWith(code)) matched.add(i);
    for (const term of terms) {
      for (const i of this.matchingEveryWord(term.words)) matched.add(i);
      const byCode = term.code === null ? undefined : this.byCode.get(term.code);
      if (byCode !== undefined) matched.add(byCode);
    }
    const fuzzyTerms = terms.map((term) => (isFuzzy(term.text) ? queryTrigrams(term.text, this.ids) : null));
    const ranked = [...matched].map((i) => this.rank(this.entries[i], code, terms, fuzzyTerms));
    ranked.sort((a, b) => a.tier - b.tier || b.score - a.score || b.nameScore - a.nameScore || b.closeness - a.closeness || a.entry.order - b.entry.order);
    return ranked.map(({ entry }) => entry.station);
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
    const checks = words.map((word) => ({ word, trigrams: isFuzzy(word) ? queryTrigrams(word, this.ids) : null }));
    const driver = words.reduce((longest, word) => (word.length > longest.length ? word : longest));
    return this.candidatesFor(driver).filter((i) => checks.every((check) => this.wordMatches(this.entries[i], check.word, check.trigrams)));
  }

  /** A word is in the name or city as a substring, or (fuzzy words) matches a run of its words by strict word similarity. */
  private wordMatches(entry: Entry, word: string, trigrams: QueryTrigrams | null): boolean {
    return entry.textLower.includes(word) || (trigrams !== null && this.scorer.strictWordSimilarity(trigrams, entry.trigrams) >= STRICT_WORD_SIMILARITY_THRESHOLD);
  }

  /**
   * Entries that may match the word (a superset of those that do), in entry order. A fuzzy match
   * shares at least half of the word's trigrams with the text, so it is in at least one of any
   * (trigrams - half + 1) of their posting lists: the shortest are read. A substring match has
   * every window of three of the word, so it is in each of their lists: one of them is read too.
   */
  private candidatesFor(word: string): number[] {
    const chars = [...word];
    if (!PLAIN_WORD.test(word) || chars.length < 3) return this.entries.map((_, i) => i);
    const windows = new Set<string>();
    for (let i = 0; i + 3 <= chars.length; i++) windows.add(chars[i] + chars[i + 1] + chars[i + 2]);
    const trigrams = queryTrigrams(word, this.ids);
    const listOf = (trigram: number | undefined) => (trigram === undefined ? EMPTY : this.postings[trigram]);
    // A trigram no text has: its (empty) list is the shortest.
    const lists = [...trigrams.known].map(listOf);
    for (let unknown = trigrams.size - trigrams.known.size; unknown > 0; unknown--) lists.push(EMPTY);
    lists.sort((a, b) => a.length - b.length);
    const read = lists.slice(0, trigrams.size - Math.ceil(trigrams.size / 2) + 1);
    read.push([...windows].map((window) => listOf(this.ids.known(window))).reduce((shortest, list) => (list.length < shortest.length ? list : shortest)));
    const candidates: number[] = [];
    for (const list of read) {
      for (const i of list) {
        if (this.marks[i]) continue;
        this.marks[i] = 1;
        candidates.push(i);
      }
    }
    for (const i of candidates) this.marks[i] = 0;
    return candidates.sort((a, b) => a - b);
  }

  /**
   * The ordering values of a match, computed as the SQL did, in float32 where PostgreSQL's were
   * float4 (real): per term, weight × the best of name, city (strict word similarity) and an
   * alias's code; the name's part only when the name itself matches the term; the closeness of
   * the whole name (similarity). Terms of one or two letters score by code only.
   */
  private rank(entry: Entry, code: string | null, terms: SearchTerm[], fuzzyTerms: Array<QueryTrigrams | null>): Ranked {
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
      const name = this.scorer.strictWordSimilarity(trigrams, entry.trigrams, 0, entry.nameEnd);
      const city = station.city === null ? 0 : this.scorer.strictWordSimilarity(trigrams, entry.trigrams, entry.nameEnd);
      const named = name >= STRICT_WORD_SIMILARITY_THRESHOLD || entry.nameLower.includes(term.text);
      score = Math.max(score, Math.fround(weight * Math.max(name, city, byCode)));
      nameScore = Math.max(nameScore, Math.fround(weight * Math.max(named ? name : 0, byCode)));
      if (named) closeness = Math.max(closeness, Math.fround(weight * this.scorer.similarity(trigrams, entry.trigrams, 0, entry.nameEnd)));
    });
    return { entry, tier, score, nameScore, closeness };
  }
}
