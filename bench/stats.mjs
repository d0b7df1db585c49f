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

/**
 * How far repetitions of one figure spread (issue #16 part 6): (max − min) / median, in percent,
 * rounded; 0 for a single repetition. Reported beside each median as `<name>_spread_pct`.
 * @param {number[]} values
 */
export function spreadPct(values) {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return 0;
  const middle = median(finite);
  return middle === 0 ? 0 : Math.round(((Math.max(...finite) - Math.min(...finite)) / Math.abs(middle)) * 100);
}

/** The median of the values and, beside it, their spread: `{ [name]: median, [name_spread_pct]: spread }`. */
export const medianWithSpread = (name, values, digits = 0) => ({ [name]: round(median(values), digits), [`${name}_spread_pct`]: spreadPct(values) });

/** "4812 (12% spread)": a median with the spread of its repetitions, for the printed tables. */
export const shown = (value, spread) => (spread ? `${value} (${spread}% spread)` : `${value}`);
