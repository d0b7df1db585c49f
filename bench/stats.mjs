// Small helpers shared by the benchmarks.

/** The value at quantile q (0..1) of the values, nearest rank; NaN when empty. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => quantile(values, 0.5);

/** Rounded to `digits` decimals. */
export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const started = performance.now();

/** A progress line on stderr, with the seconds since the benchmarks started. */
export const progress = (section, message) => console.error(`[bench ${Math.round((performance.now() - started) / 1000)} s] ${section}: ${message}`);
