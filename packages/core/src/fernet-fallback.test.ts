import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { fernetSpec } from '../test/fixtures';

// Node < 20.12 has no crypto.hash: the HMAC falls back to createHmac, and must agree byte for byte.
const createHmac = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof NodeCrypto>();
  return {
    ...original,
    hash: undefined,
    createHmac: (...args: Parameters<typeof original.createHmac>) => {
      createHmac.calls++;
      return original.createHmac(...args);
    },
  };
});

const { fernetDecrypt, fernetEncrypt, fernetKey } = await import('./fernet');
const keyOf = (secret: string) => fernetKey(Buffer.from(secret, 'base64url'));
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('Fernet without crypto.hash', () => {
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

  it('went through createHmac', () => {
    expect(createHmac.calls).toBeGreaterThan(0);
  });
});
