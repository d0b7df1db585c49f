/**
 * `items` in consecutive batches of at most `size` (the last may be shorter; none when `items`
 * is empty): the one way large writes and reads are cut into statements or round trips of a
 * bounded size.
 */
export function* batchesOf<T>(items: readonly T[], size: number): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
