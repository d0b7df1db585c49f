import { describe, expect, it } from '@jest/globals';
import { bearerToken } from './bearer-token.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc-_~+/==';

describe('bearerToken (RFC 6750 §2.1)', () => {
  it('takes the one b64token after the scheme, whatever the scheme’s case (RFC 9110 §11.1), after one or more spaces', () => {
    for (const header of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer    ${TOKEN}`]) expect(bearerToken(header)).toBe(TOKEN);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['no token', 'Bearer'],
    ['an empty token', 'Bearer '],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['a word after the token', `Bearer ${TOKEN} x`],
    ['a tab', `Bearer\t${TOKEN}`],
    ['no separator', `Bearer${TOKEN}`],
    ['another scheme', `Basic ${TOKEN}`],
    ['a scheme that only starts like it', `Bearerx ${TOKEN}`],
    ['a comma', `Bearer ${TOKEN},`],
    ['quotes', `Bearer "${TOKEN}"`],
    ['"=" inside the token', 'Bearer ab=cd'],
    ['a non-ASCII letter', 'Bearer tökén'],
  ])('finds none in %s', (_case, header) => {
    expect(bearerToken(header)).toBeNull();
  });
});
