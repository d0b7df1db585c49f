import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { yieldToEventLoop } from '../common/event-loop/slices.js';

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

/**
 * Whether the manager's database takes COPY … FROM STDIN from the client: a PostgreSQL server
 * does; the embedded database (PGlite, configured with a driver object instead of a URL) does not.
 */
export const canCopyFromClient = (manager: EntityManager) => !(manager.connection.options as { driver?: unknown }).driver;

/**
 * The chunks, with a turn of the event loop after each: Readable.from reads a generator in
 * microtasks, so without it every chunk of a COPY was built in one go (~350 ms of event loop for
 * the 100,000 run states of a tick).
 */
async function* inSlices(chunks: Iterable<string>): AsyncGenerator<string> {
  for (const chunk of chunks) {
    yield chunk;
    await yieldToEventLoop();
  }
}

/** Streams the rows into `table` with COPY, on the manager's connection (inside its transaction). */
export async function copyRows<T>(table: string, columns: Column<T>[], rows: Iterable<T>, manager: EntityManager): Promise<void> {
  const client = (await manager.queryRunner!.connect()) as PoolClient;
  const copy = client.query(copyFrom(`COPY ${table} (${columns.map(({ name }) => name).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(inSlices(copyLines(rows, columns))), copy);
}
