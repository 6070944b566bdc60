import { describe, expect, it } from 'vitest';
import { fernetVectors } from '../test/fernet-vectors';
import { fernetSpec } from '../test/fixtures';
import * as fernet from './fernet';

const { fernetDecrypt, fernetEncrypt, fernetKey } = fernet;

const keyOf = (secret: string) => fernetKey(Buffer.from(secret, 'base64url'));
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('Fernet spec vectors', () => {
  fernetVectors(fernet);

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
