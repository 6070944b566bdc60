import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { fernetKey, type FernetKey } from './fernet';

/** PBKDF2 parameters of the Python package; part of the wire format. */
export const PBKDF2_ITERATIONS = 100_000;
const KEY_LENGTH = 32;

/** Derives the Fernet key for a secret and salt, blocking (~45 ms). Done once per manager. */
export function deriveKeySync(secretKey: string, salt: Uint8Array): FernetKey {
  return fernetKey(pbkdf2Sync(Buffer.from(secretKey, 'utf8'), salt, PBKDF2_ITERATIONS, KEY_LENGTH, 'sha256'));
}

/** Derives the Fernet key on the libuv thread pool, so a busy server never blocks on it. */
export function deriveKey(secretKey: string, salt: Uint8Array): Promise<FernetKey> {
  return new Promise((resolve, reject) => {
    pbkdf2(Buffer.from(secretKey, 'utf8'), salt, PBKDF2_ITERATIONS, KEY_LENGTH, 'sha256', (error, key) => {
      if (error) reject(error);
      else resolve(fernetKey(key));
    });
  });
}
