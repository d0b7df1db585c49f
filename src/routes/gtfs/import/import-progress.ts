import type { ImportProgress } from './gtfs-import.model.js';

/** Where progress goes: a terminal (redrawn bar) or anything else (plain lines). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressReporter {
  onProgress(progress: ImportProgress): void;
  /** Ends the display (clears the bar's line). */
  done(): void;
}

const number = (value: number) => value.toLocaleString('en-US');
const BAR_WIDTH = 24;

/**
 * A progress bar redrawn in place when the stream is a terminal; plain lines otherwise (logs and
 * CI keep a readable record, no control characters). Reading is shown per file, by bytes read
 * (the reader reports every 10,000 rows and at each file's end).
 */
export function progressReporter(stream: ProgressStream): ProgressReporter {
  if (!stream.isTTY) {
    return {
      onProgress(progress) {
        if (progress.phase === 'plan') stream.write('Planning the catalog from the feed\n');
        else if (progress.phase === 'write') stream.write('Writing the changes (one transaction)\n');
        else {
          const done = progress.bytes >= progress.totalBytes;
          stream.write(`Reading ${progress.file}: ${number(progress.rows)} rows${done ? '' : ` (${percent(progress)}%)`}\n`);
        }
      },
      done() {},
    };
  }
  let shown = false;
  const draw = (text: string) => {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    shown = true;
  };
  return {
    onProgress(progress) {
      if (progress.phase === 'plan') draw('Planning the catalog from the feed…');
      else if (progress.phase === 'write') draw('Writing the changes…');
      else {
        const filled = Math.round((percent(progress) / 100) * BAR_WIDTH);
        draw(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(percent(progress)).padStart(3)}% ${progress.file} ${number(progress.rows)} rows`);
      }
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}

const percent = ({ bytes, totalBytes }: { bytes: number; totalBytes: number }) => (totalBytes > 0 ? Math.min(100, Math.floor((bytes / totalBytes) * 100)) : 100);
