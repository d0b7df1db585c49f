import { CsvError, parse } from 'csv-parse';
import { pipeline } from 'node:stream/promises';
import type { GtfsProblemLog } from './gtfs-feed.error.js';
import type { GtfsSource } from './gtfs-source.js';

/** A GTFS field name of row type T (from gtfs-types), so a misspelt column fails to compile. */
export type GtfsField<T> = Extract<keyof T, string>;

/**
 * The current record of a table, reused for every record (no object per row). Values are the raw
 * text, as GTFS defines them; the reader parses the few it needs.
 */
export class GtfsRow<T> {
  /** Line of the record in its file (where it starts, for a record with quoted line breaks). */
  line = 0;
  values: string[] = [];

  constructor(
    readonly file: string,
    private readonly index: Readonly<Record<string, number>>,
  ) {}

  /** The field's text, or '' when the column is absent or the field empty. */
  get(field: GtfsField<T>): string {
    return this.extra(field);
  }

  /** A column GTFS does not define (MTA's `track`), or '' when absent. */
  extra(column: string): string {
    const at = this.index[column];
    return at === undefined ? '' : (this.values[at] ?? '');
  }

  hasColumn(column: string): boolean {
    return this.index[column] !== undefined;
  }
}

export interface GtfsTableProgress {
  file: string;
  rows: number;
  bytes: number;
  totalBytes: number;
}

export interface ReadTableOptions<T> {
  /** Columns without which no row can be read; a missing one is an error and the file is skipped. */
  required: readonly GtfsField<T>[];
  onProgress?: (progress: GtfsTableProgress) => void;
}

const PROGRESS_EVERY_ROWS = 10_000;

/**
 * Streams one CSV file of a feed through csv-parse and calls `onRow` for each record, with the
 * same GtfsRow object every time. csv-parse strips a UTF-8 BOM and accepts CRLF and LF.
 * Line numbers are counted here (one per record, plus line breaks inside quoted fields, plus blank
 * lines, which csv-parse hands over as one empty field): csv-parse's own per-record context
 * (`on_record`, `info`) builds an object per record and made reading 2.5 times slower.
 * Returns false when the file's header made it unreadable (the reason is in `log`).
 */
export async function readGtfsTable<T>(
  source: GtfsSource,
  file: string,
  log: GtfsProblemLog,
  options: ReadTableOptions<T>,
  onRow: (row: GtfsRow<T>) => void,
): Promise<boolean> {
  let row: GtfsRow<T> | null = null;
  let columns = 0;
  let readable = true;
  let rows = 0;
  let line = 0;
  let bytes = 0;
  const totalBytes = source.size(file);
  const report = options.onProgress;

  const handle = (values: string[]) => {
    line++;
    const first = line;
    for (let i = 0; i < values.length; i++) {
      if (values[i].indexOf('\n') >= 0) line += values[i].split('\n').length - 1;
    }
    if (values.length === 1 && values[0].trim() === '') return;
    if (row === null) {
      const header = values.map((name) => name.trim());
      const index: Record<string, number> = Object.create(null);
      header.forEach((name, at) => {
        if (name !== '' && index[name] === undefined) index[name] = at;
      });
      const missing = options.required.filter((field) => index[field] === undefined);
      for (const field of missing) log.error(file, first, field, 'required column is missing from the header');
      readable = missing.length === 0;
      columns = header.length;
      row = new GtfsRow<T>(file, index);
      return;
    }
    if (!readable) return;
    if (values.length !== columns) {
      log.error(file, first, null, `has ${values.length} fields where the header has ${columns}`);
      return;
    }
    row.values = values;
    row.line = first;
    onRow(row);
    if (report && ++rows % PROGRESS_EVERY_ROWS === 0) report({ file, rows, bytes, totalBytes });
  };

  // A short or long row is reported with its line rather than ending the parse.
  const parser = parse({ bom: true, relax_column_count: true });
  try {
    const input = await source.open(file);
    if (report) input.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(input, parser, async (records: AsyncIterable<string[]>) => {
      for await (const values of records) handle(values);
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at = (error as CsvError & { lines?: number }).lines ?? null;
    log.error(file, at, null, `is not valid CSV: ${error.message}`);
    return false;
  }
  if (row === null) {
    log.error(file, null, null, 'is empty: a header line is required');
    return false;
  }
  report?.({ file, rows, bytes: totalBytes, totalBytes });
  return readable;
}
