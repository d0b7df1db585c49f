/**
 * Trigram similarity as PostgreSQL's pg_trgm computes it (F.35 in the PostgreSQL manual), so
 * station search answers from memory exactly what its SQL answered: the same matches, the same
 * scores, the same order.
 *
 * - A text's words are its runs of letters and digits; each, lower-cased and padded with two
 *   spaces before and one after ("  goa "), gives its windows of three characters.
 * - similarity(a, b): shared trigrams over all trigrams of both (each counted once).
 * - strictWordSimilarity(a, b): the best similarity of `a` to a run of whole words of `b`, found
 *   by pg_trgm's own greedy walk over `b`'s trigrams (not an exhaustive search: its values, not a
 *   true maximum, are what the SQL compared and ordered by).
 * Values are float4 in PostgreSQL; they are rounded to float32 here too, so equal scores tie and
 * unequal ones order as they did there.
 *
 * Differences left: pg_trgm hashes a trigram with non-ASCII characters into three bytes (two
 * such trigrams may collide there, never here), and case folding is JavaScript's rather than the
 * database locale's.
 */

/** Trigram starts a word / ends a word. */
const WORD_START = 1;
const WORD_END = 2;

/** The trigrams of a text in order (a repeated trigram repeats), each marked where a word starts or ends. */
export interface TrigramSequence {
  trigrams: string[];
  bounds: Uint8Array;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The text's trigrams. `intern` may map each to one shared string (an index holding thousands of
 * texts keeps one copy of each trigram).
 */
export function trigramSequence(text: string, intern: (trigram: string) => string = (trigram) => trigram): TrigramSequence {
  const trigrams: string[] = [];
  const bounds: number[] = [];
  for (const [word] of text.matchAll(WORD)) {
    // By code point: a trigram is three characters, whatever their length in UTF-16.
    const chars = [' ', ' ', ...word.toLowerCase(), ' '];
    for (let i = 0; i + 3 <= chars.length; i++) {
      trigrams.push(intern(chars[i] + chars[i + 1] + chars[i + 2]));
      bounds.push((i === 0 ? WORD_START : 0) | (i + 3 === chars.length ? WORD_END : 0));
    }
  }
  return { trigrams, bounds: Uint8Array.from(bounds) };
}

/** A text's trigrams, each once. */
export const trigramSet = (text: string): Set<string> => new Set(trigramSequence(text).trigrams);

/** shared / (all of a + all of b - shared), in float32 as pg_trgm's CALCSML. */
const ratio = (shared: number, ofA: number, ofB: number) => Math.fround(shared / (ofA + ofB - shared));

/** pg_trgm's similarity() of two trigram sets; 0 when either is empty. */
export function setSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const trigram of a) if (b.has(trigram)) shared++;
  return ratio(shared, a.size, b.size);
}

export const similarity = (a: string, b: string): number => setSimilarity(trigramSet(a), trigramSet(b));

/**
 * pg_trgm's strict_word_similarity() of the query's trigrams (each once) to the trigrams of a
 * text from index `from` to `to` (exclusive; by default all). It walks the text once; at the end
 * of each word it scores the window of whole words ending there, and tries moving the window's
 * start to each later word start, keeping a start that scores higher: the window only ever
 * shrinks from the left, which is why this is pg_trgm's answer rather than the best possible.
 */
export function strictWordSimilarityOf(query: ReadonlySet<string>, text: TrigramSequence, from = 0, to = text.trigrams.length): number {
  const { trigrams, bounds } = text;
  /** Where each trigram of the window last occurs; absent once its last occurrence left the window. */
  const lastAt = new Map<string, number>();
  let start = from;
  let distinct = 0;
  let shared = 0;
  let best = 0;
  for (let i = from; i < to; i++) {
    const trigram = trigrams[i];
    if (!lastAt.has(trigram)) {
      distinct++;
      if (query.has(trigram)) shared++;
    }
    lastAt.set(trigram, i);
    if (!(bounds[i] & WORD_END)) continue;
    let score = ratio(shared, query.size, distinct);
    let tryDistinct = distinct;
    let tryShared = shared;
    const previousStart = start;
    for (let tryStart = start; tryStart <= i; tryStart++) {
      if (bounds[tryStart] & WORD_START) {
        const tried = ratio(tryShared, query.size, tryDistinct);
        if (tried > score) {
          score = tried;
          distinct = tryDistinct;
          shared = tryShared;
          start = tryStart;
        }
      }
      // Past tryStart, the trigram there is out of the window unless it occurs again later.
      const leaving = trigrams[tryStart];
      if (lastAt.get(leaving) === tryStart) {
        tryDistinct--;
        if (query.has(leaving)) tryShared--;
      }
    }
    best = Math.max(best, score);
    for (let gone = previousStart; gone < start; gone++) if (lastAt.get(trigrams[gone]) === gone) lastAt.delete(trigrams[gone]);
  }
  return best;
}

export const strictWordSimilarity = (query: string, text: string): number => strictWordSimilarityOf(trigramSet(query), trigramSequence(text));

/** pg_trgm.strict_word_similarity_threshold (its default, which the search keeps): `<<%` is true from here. */
export const STRICT_WORD_SIMILARITY_THRESHOLD = 0.5;
