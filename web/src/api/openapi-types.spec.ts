import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { WEB_API_TYPES, webApiTypes } from '../../../scripts/web-api-types.mjs';

describe('the web client’s API types', () => {
  it('are what openapi-typescript generates from the committed openapi.json (run npm run openapi when this fails)', async () => {
    expect(readFileSync(WEB_API_TYPES, 'utf8')).toBe(await webApiTypes());
  }, 30_000);
});
