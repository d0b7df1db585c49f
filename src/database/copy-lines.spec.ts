import { describe, expect, it } from '@jest/globals';
import { type Column, copyLines } from './copy-lines.js';

interface Row {
  id: string;
  count: number | null;
  label: string | null;
}

const COLUMNS: Column<Row>[] = [
  { name: 'id', type: 'uuid', value: (row) => row.id },
  { name: 'count', type: 'int4', value: (row) => row.count },
  { name: 'label', type: 'text', value: (row) => row.label },
];

describe('copyLines', () => {
  it('writes COPY text: tab-separated, \\N for null, backslash, tab and line breaks of text escaped', () => {
    const rows: Row[] = [
      { id: 'a', count: 1, label: 'Track 1' },
      { id: 'b', count: null, label: null },
      { id: 'c', count: 0, label: 'a\\b\tc\nd\re' },
    ];
    expect([...copyLines(rows, COLUMNS)].join('')).toBe('a\t1\tTrack 1\nb\t\\N\t\\N\nc\t0\ta\\\\b\\tc\\nd\\re\n');
  });

  it('sends large inputs in chunks of whole lines', () => {
    const rows = Array.from({ length: 20_000 }, (_, index): Row => ({ id: `id-${index}`, count: index, label: 'x'.repeat(20) }));
    const chunks = [...copyLines(rows, COLUMNS)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.endsWith('\n'))).toBe(true);
    expect(chunks.join('').split('\n')).toHaveLength(20_001);
  });
});
