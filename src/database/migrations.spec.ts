import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { migrations } from '../../migrations/index.js';

describe('migrations/index.ts', () => {
  it('lists every migration file, oldest first', () => {
    const files = readdirSync(new URL('../../migrations/', import.meta.url)).filter((file) => /^\d{13}-.+\.ts$/.test(file) && !file.endsWith('.spec.ts'));
    const timestamps = files.map((file) => file.slice(0, 13)).sort();
    const listed = migrations.map((migration) => /(\d{13})$/.exec(migration.name)?.[1]);
    expect(listed).toEqual(timestamps);
  });
});
