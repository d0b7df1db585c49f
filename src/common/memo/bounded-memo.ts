/**
 * Values worked out once per key, at most `capacity` of them kept (past it, the least recently
 * used goes). For answers that depend only on data that does not change under them, such as one
 * version of the catalog in memory: the memo lives and goes with that data.
 */
export class BoundedMemo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get(key: K, work: () => V): V {
    if (this.values.has(key)) {
      const known = this.values.get(key) as V;
      // Map keeps insertion order: moved to the end, it is the most recently used.
      this.values.delete(key);
      this.values.set(key, known);
      return known;
    }
    const value = work();
    this.values.set(key, value);
    if (this.values.size > this.capacity) this.values.delete(this.values.keys().next().value as K);
    return value;
  }

  get size(): number {
    return this.values.size;
  }
}
