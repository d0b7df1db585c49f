import { describe, expect, it } from '@jest/globals';
import { parseImportArgs, UsageError } from './import-gtfs.command.js';
import { progressReporter } from './import-progress.js';

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, isTTY, columns: 100, write: (text: string) => written.push(text) };
};

describe('progressReporter', () => {
  it('writes plain lines when not on a terminal', () => {
    const out = stream(false);
    const progress = progressReporter(out);
    progress.onProgress({ phase: 'read', file: 'stop_times.txt', rows: 10_000, bytes: 500, totalBytes: 1000 });
    progress.onProgress({ phase: 'read', file: 'stop_times.txt', rows: 22_730, bytes: 1000, totalBytes: 1000 });
    progress.onProgress({ phase: 'plan' });
    progress.onProgress({ phase: 'write' });
    progress.done();
    expect(out.written).toEqual([
      'Reading stop_times.txt: 10,000 rows (50%)\n',
      'Reading stop_times.txt: 22,730 rows\n',
      'Planning the catalog from the feed\n',
      'Writing the changes (one transaction)\n',
    ]);
    expect(out.written.join('')).not.toContain('\r');
  });

  it('redraws one bar in place on a terminal, and clears it at the end', () => {
    const out = stream(true);
    const progress = progressReporter(out);
    progress.onProgress({ phase: 'read', file: 'stop_times.txt', rows: 10_000, bytes: 500, totalBytes: 1000 });
    progress.done();
    expect(out.written).toEqual(['\r\x1b[2K[############............]  50% stop_times.txt 10,000 rows', '\r\x1b[2K']);
  });
});

describe('parseImportArgs', () => {
  it('reads the feed and its rules', () => {
    const { path, rules, dryRun } = parseImportArgs(['feed.zip', '--number-from', 'trip_id', '--number-rule', '_(\\d+)$=$1', '--station-code', 'stop_code', '--dry-run']);
    expect(path).toBe('feed.zip');
    expect(dryRun).toBe(true);
    expect(rules).toMatchObject({ numberFrom: 'trip_id', stationCode: 'stop_code', distanceUnit: 'km', numberRules: [{ pattern: /_(\d+)$/, template: '$1' }] });
  });

  it('refuses unknown options, values and malformed rules', () => {
    expect(() => parseImportArgs([])).toThrow(UsageError);
    expect(() => parseImportArgs(['feed.zip', '--number-from', 'route_id'])).toThrow('--number-from must be one of trip_short_name, trip_id');
    expect(() => parseImportArgs(['feed.zip', '--number-rule', '(=1'])).toThrow(UsageError);
    expect(() => parseImportArgs(['feed.zip', '--numbers'])).toThrow(UsageError);
  });
});
