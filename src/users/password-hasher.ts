import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/**
 * argon2id at the OWASP Password Storage Cheat Sheet's first configuration
 * (19 MiB memory, 2 iterations, parallelism 1).
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  // A real hash to verify against when the account does not exist, so an unknown email costs
  // the same time as a wrong password.
  private readonly decoy = argon2.hash('decoy password for unknown accounts', OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    if (!hash) {
      await argon2.verify(await this.decoy, password).catch(() => false);
      return false;
    }
    return argon2.verify(hash, password).catch(() => false);
  }
}
