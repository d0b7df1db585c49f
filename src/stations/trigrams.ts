/**
 * Trigram similarity as PostgreSQL's pg_trgm computes it (F.35 in the PostgreSQL manual), so
 * station search answers from memory exactly what its SQL answered: the same matches, the same
 * scores, the same order.
 *
 * - A text's words are its runs of letters and digits; each, lower-cased and padded with two
 *   spaces before and one after ("  goa "), gives its windows of three characters.
 * - similarity(a, b): shared trigrams over all trigrams of both (each counted once).
 * - strict word similarity of a to b: the best similarity of `a` to a run of whole words of `b`,
 *   found by pg_trgm's own greedy walk over `b`'s trigrams (not an exhaustive search: its values,
 *   not a true maximum, are what the SQL compared and ordered by).
 * Values are float4 in PostgreSQL; they are rounded to float32 here too, so equal scores tie and
 * unequal ones order as they did there.
 *
 * Differences left: pg_trgm hashes a trigram with non-ASCII characters into three bytes (two
 * such trigrams may collide there, never here), and case folding is JavaScript's rather than the
 * database locale's.
 *
 * Trigrams are numbered (TrigramIds) so that an index of thousands of texts holds small integers
 * and scoring allocates nothing.
 */

/** Trigram starts a word / ends a word. */
const WORD_START = 1;
const WORD_END = 2;

const WORD = /[\p{L}\p{N}]+/gu;

/** The trigrams of a text in order (a repeated trigram repeats), each marked where a word starts or ends. */
function trigramsOf(text: string): { trigrams: string[]; bounds: number[] } {
  const trigrams: string[] = [];
  const bounds: number[] = [];
  for (const [word] of text.matchAll(WORD)) {
    // By code point: a trigram is three characters, whatever their length in UTF-16.
    const chars = [' ', ' ', ...word.toLowerCase(), ' '];
    for (let i = 0; i + 3 <= chars.length; i++) {
      trigrams.push(chars[i] + chars[i + 1] + chars[i + 2]);
      bounds.push((i === 0 ? WORD_START : 0) | (i + 3 === chars.length ? WORD_END : 0));
    }
  }
  return { trigrams, bounds };
}

/** Numbers for trigrams, shared by the texts of an index. */
export class TrigramIds {
  private readonly ids = new Map<string, number>();

  /** The trigram's number, given one if it has none. */
  of(trigram: string): number {
    let id = this.ids.get(trigram);
    if (id === undefined) this.ids.set(trigram, (id = this.ids.size));
    return id;
  }

  known(trigram: string): number | undefined {
    return this.ids.get(trigram);
  }

  get size(): number {
    return this.ids.size;
  }
}

/** A text's trigrams by number, in order, with where words start and end. */
export interface TrigramSequence {
  trigrams: Int32Array;
  bounds: Uint8Array;
}

export function trigramSequence(text: string, ids: TrigramIds): TrigramSequence {
  const { trigrams, bounds } = trigramsOf(text);
  return { trigrams: Int32Array.from(trigrams, (trigram) => ids.of(trigram)), bounds: Uint8Array.from(bounds) };
}

/** What is compared to texts: its distinct trigrams, by number where the texts have them at all. */
export interface QueryTrigrams {
  /** Numbers of the trigrams some text has (the others can match nothing). */
  known: Set<number>;
  /** How many distinct trigrams it has, known or not. */
  size: number;
}

export function queryTrigrams(text: string, ids: TrigramIds): QueryTrigrams {
  const distinct = new Set(trigramsOf(text).trigrams);
  const known = new Set<number>();
  for (const trigram of distinct) {
    const id = ids.known(trigram);
    if (id !== undefined) known.add(id);
  }
  return { known, size: distinct.size };
}

/** shared / (all of a + all of b - shared), in float32 as pg_trgm's CALCSML. */
const ratio = (shared: number, ofA: number, ofB: number) => Math.fround(shared / (ofA + ofB - shared));

/**
 * The two similarities, over texts whose trigrams are numbered by one TrigramIds. Holds scratch
 * space indexed by trigram number, reused by every call (one instance per index, one call at a time).
 */
export class TrigramScorer {
  /** Per trigram: the call that last touched it, and where in the text it was last seen then. */
  private touchedBy = new Int32Array(0);
  private lastAt = new Int32Array(0);
  private call = 0;

  constructor(private readonly ids: TrigramIds) {}

  private begin(): void {
    if (this.touchedBy.length < this.ids.size) {
      this.touchedBy = new Int32Array(this.ids.size);
      this.lastAt = new Int32Array(this.ids.size);
      this.call = 0;
    }
    this.call++;
  }

  /** pg_trgm's similarity() of the query to the text's trigrams from `from` to `to` (exclusive); 0 when either has none. */
  similarity(query: QueryTrigrams, text: TrigramSequence, from = 0, to = text.trigrams.length): number {
    this.begin();
    let distinct = 0;
    let shared = 0;
    for (let i = from; i < to; i++) {
      const trigram = text.trigrams[i];
      if (this.touchedBy[trigram] === this.call) continue;
      this.touchedBy[trigram] = this.call;
      distinct++;
      if (query.known.has(trigram)) shared++;
    }
    return query.size === 0 || distinct === 0 ? 0 : ratio(shared, query.size, distinct);
  }

  /**
   * pg_trgm's strict_word_similarity() of the query to the text's trigrams from `from` to `to`
   * (exclusive). It walks the text once; at the end of each word it scores the window of whole
   * words ending there, and tries moving the window's start to each later word start, keeping a
   * start that scores higher: the window only ever shrinks from the left, which is why this is
   * pg_trgm's answer rather than the best possible.
   */
  strictWordSimilarity(query: QueryTrigrams, text: TrigramSequence, from = 0, to = text.trigrams.length): number {
    this.begin();
    const { trigrams, bounds } = text;
    const { known, size } = query;
    /** Whether the trigram occurs in the window (touched in this call and not since dropped), and where last. */
    const inWindow = (trigram: number) => this.touchedBy[trigram] === this.call && this.lastAt[trigram] >= 0;
    let start = from;
    let distinct = 0;
    let shared = 0;
    let best = 0;
    for (let i = from; i < to; i++) {
      const trigram = trigrams[i];
      if (!inWindow(trigram)) {
        distinct++;
        if (known.has(trigram)) shared++;
      }
      this.touchedBy[trigram] = this.call;
      this.lastAt[trigram] = i;
      if (!(bounds[i] & WORD_END)) continue;
      let score = ratio(shared, size, distinct);
      let tryDistinct = distinct;
      let tryShared = shared;
      const previousStart = start;
      for (let tryStart = start; tryStart <= i; tryStart++) {
        if (bounds[tryStart] & WORD_START) {
          const tried = ratio(tryShared, size, tryDistinct);
          if (tried > score) {
            score = tried;
            distinct = tryDistinct;
            shared = tryShared;
            start = tryStart;
          }
        }
        // Past tryStart, the trigram there is out of the window unless it occurs again later.
        const leaving = trigrams[tryStart];
        if (this.lastAt[leaving] === tryStart) {
          tryDistinct--;
          if (known.has(leaving)) tryShared--;
        }
      }
      best = Math.max(best, score);
      for (let gone = previousStart; gone < start; gone++) if (this.lastAt[trigrams[gone]] === gone) this.lastAt[trigrams[gone]] = -1;
    }
    return best;
  }
}

/** pg_trgm.strict_word_similarity_threshold (its default, which the search keeps): `<<%` is true from here. */
export const STRICT_WORD_SIMILARITY_THRESHOLD = 0.5;

/** similarity(a, b) of two texts. */
export function similarity(a: string, b: string): number {
  const ids = new TrigramIds();
  const text = trigramSequence(b, ids);
  return new TrigramScorer(ids).similarity(queryTrigrams(a, ids), text);
}

/** strict_word_similarity(query, text) of two texts. */
export function strictWordSimilarity(query: string, text: string): number {
  const ids = new TrigramIds();
  const sequence = trigramSequence(text, ids);
  return new TrigramScorer(ids).strictWordSimilarity(queryTrigrams(query, ids), sequence);
}

/** The distinct trigrams of a text (pg_trgm's show_trgm, unordered). */
export const trigramSet = (text: string): Set<string> => new Set(trigramsOf(text).trigrams);
