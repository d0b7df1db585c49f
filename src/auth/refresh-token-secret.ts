import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** An opaque refresh token: 256 random bits, base64url. */
export const newRefreshToken = () => randomBytes(32).toString('base64url');

/** Tokens carry 256 bits of entropy, so a fast hash is enough to make the stored value useless. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

/*
 * The grace period must answer a rotated token with the successor already issued, but tokens are
 * stored only as hashes. So the rotated row keeps its successor sealed (AES-256-GCM) under a key
 * derived from the rotated token itself: whoever may have the successor again (the holder of the
 * token it replaced) can open it, and the database alone (a dump, a replica) cannot, as it holds
 * only the SHA-256 of that token, from which the HMAC key cannot be computed. Successors stay
 * purely random (no server secret can predict them) and no server secret is involved, so
 * changing JWT_SECRET leaves sessions alone. The hash of the rotated token is bound in as
 * associated data, so a sealed value copied to another row does not open.
 */
const SEALING_INFO = 'train-tracker refresh-token successor v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const sealingKey = (presented: string) => createHmac('sha256', presented).update(SEALING_INFO).digest();

/** The successor of `presented`, sealed so that only `presented` opens it: iv ‖ tag ‖ ciphertext. */
export function sealSuccessor(presented: string, presentedHash: string, successor: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(presented), iv);
  cipher.setAAD(Buffer.from(presentedHash, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** The successor sealed by sealSuccessor, or null when `presented` (or the row) is not the one it was sealed for. */
export function openSuccessor(presented: string, presentedHash: string, sealed: Buffer): string | null {
  if (sealed.length <= IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(presented), sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(presentedHash, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
