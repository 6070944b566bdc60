import { createCipheriv, createDecipheriv, createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url } from './base64url';

// Fernet spec: version (1) | timestamp (8, big-endian seconds) | IV (16) | ciphertext (16n) | HMAC (32)
const VERSION = 0x80;
const HEADER = 25;
const MAC = 32;
const MIN_LENGTH = HEADER + 16 + MAC;
/** Largest accepted clock skew for a token stamped in the future, per the Fernet spec. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

/** A Fernet key split into its two halves, kept for the life of a manager. */
export interface FernetKey {
  readonly signingKey: Buffer;
  readonly encryptionKey: Buffer;
}

/** Why the Fernet layer refused a token (mapped to `invalid_token` by the manager). */
export type FernetFailure = 'malformed' | 'signature' | 'decrypt' | 'future' | 'ttl';

/** Decrypted plaintext and the authentic timestamp, or the reason it failed. */
export type FernetResult =
  | { readonly ok: true; readonly plaintext: Buffer; readonly timestamp: number; readonly keyIndex: number }
  | { readonly ok: false; readonly reason: FernetFailure };

/** Splits a 32-byte key: bytes 0..15 sign, bytes 16..31 encrypt. */
export function fernetKey(key: Uint8Array): FernetKey {
  if (key.length !== 32) throw new RangeError('a Fernet key is 32 bytes');
  const bytes = Buffer.from(key);
  return { signingKey: bytes.subarray(0, 16), encryptionKey: bytes.subarray(16, 32) };
}

/** Encrypts and signs `plaintext` into a Fernet token (padded base64url text). */
export function fernetEncrypt(key: FernetKey, plaintext: Uint8Array, timestampSeconds: number, iv?: Uint8Array): string {
  const ivBytes = iv ? Buffer.from(iv) : randomFillSync(Buffer.allocUnsafe(16));
  const cipher = createCipheriv('aes-128-cbc', key.encryptionKey, ivBytes);
  const first = cipher.update(plaintext);
  const last = cipher.final();
  const bodyLength = HEADER + first.length + last.length;
  const token = Buffer.allocUnsafe(bodyLength + MAC);
  token[0] = VERSION;
  token.writeUInt32BE(Math.floor(timestampSeconds / 0x1_0000_0000), 1);
  token.writeUInt32BE(timestampSeconds >>> 0, 5);
  ivBytes.copy(token, 9);
  first.copy(token, HEADER);
  last.copy(token, HEADER + first.length);
  createHmac('sha256', key.signingKey).update(token.subarray(0, bodyLength)).digest().copy(token, bodyLength);
  return encodeBase64Url(token);
}

/**
 * Verifies and decrypts a Fernet token with the first of `keys` whose HMAC matches (rotation).
 * The HMAC is compared in constant time before any decryption.
 */
export function fernetDecrypt(
  keys: readonly FernetKey[],
  token: string | Buffer,
  nowSeconds: number,
  ttlSeconds?: number,
): FernetResult {
  const bytes = decodeBase64Url(typeof token === 'string' ? token : token.toString('latin1'));
  if (bytes === null) return { ok: false, reason: 'malformed' };
  return fernetDecryptBytes(keys, bytes, nowSeconds, ttlSeconds);
}

function fernetDecryptBytes(keys: readonly FernetKey[], bytes: Buffer, nowSeconds: number, ttlSeconds?: number): FernetResult {
  if (bytes.length < MIN_LENGTH || bytes[0] !== VERSION || (bytes.length - HEADER - MAC) % 16 !== 0) {
    return { ok: false, reason: 'malformed' };
  }
  const bodyLength = bytes.length - MAC;
  const body = bytes.subarray(0, bodyLength);
  const mac = bytes.subarray(bodyLength);
  let keyIndex = -1;
  for (let i = 0; i < keys.length; i++) {
    const expected = createHmac('sha256', (keys[i] as FernetKey).signingKey).update(body).digest();
    if (timingSafeEqual(expected, mac)) {
      keyIndex = i;
      break;
    }
  }
  if (keyIndex < 0) return { ok: false, reason: 'signature' };

  const timestamp = bytes.readUInt32BE(1) * 0x1_0000_0000 + bytes.readUInt32BE(5);
  if (timestamp > nowSeconds + MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'future' };
  if (ttlSeconds !== undefined && timestamp + ttlSeconds < nowSeconds) return { ok: false, reason: 'ttl' };

  const decipher = createDecipheriv('aes-128-cbc', (keys[keyIndex] as FernetKey).encryptionKey, bytes.subarray(9, HEADER));
  try {
    const first = decipher.update(bytes.subarray(HEADER, bodyLength));
    const last = decipher.final();
    const plaintext = last.length === 0 ? first : Buffer.concat([first, last]);
    return { ok: true, plaintext, timestamp, keyIndex };
  } catch {
    // Bad PKCS7 padding; only reachable with a valid HMAC, i.e. a token we or a peer signed.
    return { ok: false, reason: 'decrypt' };
  }
}
