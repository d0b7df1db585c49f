/** One column of a batch write: its name, its PostgreSQL type, and its value in a row. */
export interface Column<T> {
  name: string;
  type: string;
  value: (row: T) => unknown;
}

/** Text in COPY's text format: backslash, tab, newline and carriage return escaped. */
const copyText = (text: string) => (/[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : text);
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Rows as COPY text (\N for null), in chunks of a few hundred kilobytes. Only text columns can
 * hold a character to escape (uuids, numbers and booleans cannot), so only they are scanned.
 */
export function* copyLines<T>(rows: Iterable<T>, columns: Column<T>[]): Generator<string> {
  const escaped = columns.map(({ type }) => type === 'text');
  let chunk = '';
  for (const row of rows) {
    for (let index = 0; index < columns.length; index++) {
      const value = columns[index].value(row);
      chunk += `${index === 0 ? '' : '\t'}${value === null || value === undefined ? '\\N' : escaped[index] ? copyText(String(value)) : String(value)}`;
    }
    chunk += '\n';
    if (chunk.length >= 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
