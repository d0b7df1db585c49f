import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveJwtSecret } from './jwt-secret.js';

describe('resolveJwtSecret', () => {
  it('uses JWT_SECRET when given', () => {
    expect(resolveJwtSecret({ JWT_SECRET: 's'.repeat(40), DATA_DIR: '/nonexistent' })).toBe('s'.repeat(40));
  });

  it('otherwise generates a strong secret once, readable only by the owner, and keeps using it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-secret-'));
    try {
      const first = resolveJwtSecret({ DATA_DIR: dir });
      expect(first).toMatch(/^[\w-]{64}$/);
      expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
      expect(resolveJwtSecret({ DATA_DIR: dir })).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
