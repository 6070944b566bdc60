import { describe, expect, it } from 'vitest';
import { fernetSpec } from '../test/fixtures';
import { fernetDecrypt, fernetEncrypt, fernetKey } from './fernet';

const keyOf = (secret: string) => fernetKey(Buffer.from(secret, 'base64url'));
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('Fernet spec vectors', () => {
  it.each(fernetSpec.generate)('generates $token', (vector) => {
    const token = fernetEncrypt(keyOf(vector.secret), Buffer.from(vector.src as string), seconds(vector.now), Uint8Array.from(vector.iv as number[]));
    expect(token).toBe(vector.token);
  });

  it.each(fernetSpec.verify)('verifies $token', (vector) => {
    const result = fernetDecrypt([keyOf(vector.secret)], vector.token, seconds(vector.now), vector.ttl_sec);
    expect(result.ok && result.plaintext.toString()).toBe(vector.src);
  });

  it.each(fernetSpec.invalid)('refuses: $desc', (vector) => {
    const result = fernetDecrypt([keyOf(vector.secret)], vector.token, seconds(vector.now), vector.ttl_sec);
    expect(result.ok).toBe(false);
  });

  it('tries each key in order and reports which one matched', () => {
    const [vector] = fernetSpec.verify;
    if (!vector) throw new Error('no vector');
    const other = fernetKey(Buffer.alloc(32, 7));
    const result = fernetDecrypt([other, keyOf(vector.secret)], vector.token, seconds(vector.now));
    expect(result.ok && result.keyIndex).toBe(1);
  });

  it('refuses a timestamp more than 60 s in the future and accepts 60 s', () => {
    const key = fernetKey(Buffer.alloc(32, 1));
    const token = fernetEncrypt(key, Buffer.from('x'), 1_000_060);
    expect(fernetDecrypt([key], token, 1_000_000).ok).toBe(true);
    expect(fernetDecrypt([key], token, 999_999)).toEqual({ ok: false, reason: 'future' });
  });
});
