import { createHash, randomBytes } from 'node:crypto';

/** An opaque refresh token: 256 random bits, base64url. */
export const newRefreshToken = () => randomBytes(32).toString('base64url');

/** Tokens carry 256 bits of entropy, so a fast hash is enough to make the stored value useless. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');
