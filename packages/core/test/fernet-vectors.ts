import { expect, it } from 'vitest';
import type * as Fernet from '../src/fernet';
import { fernetSpec } from './fixtures';

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Registers the public Fernet spec vectors (generate, verify, invalid) against one Fernet module. */
export function fernetVectors({ fernetDecrypt, fernetEncrypt, fernetKey }: typeof Fernet): void {
  const keyOf = (secret: string) => fernetKey(Buffer.from(secret, 'base64url'));

  it.each(fernetSpec.generate)('generates $token', (vector) => {
    const token = fernetEncrypt(keyOf(vector.secret), Buffer.from(vector.src as string), seconds(vector.now), Uint8Array.from(vector.iv as number[]));
    expect(token).toBe(vector.token);
  });

  it.each(fernetSpec.verify)('verifies $token', (vector) => {
    const result = fernetDecrypt([keyOf(vector.secret)], vector.token, seconds(vector.now), vector.ttl_sec);
    expect(result.ok && result.plaintext.toString()).toBe(vector.src);
  });

  it.each(fernetSpec.invalid)('refuses: $desc', (vector) => {
    expect(fernetDecrypt([keyOf(vector.secret)], vector.token, seconds(vector.now), vector.ttl_sec).ok).toBe(false);
  });
}
