// Strict base64url *with* padding, the encoding Python's urlsafe_b64encode writes. Node's decoder
// is lenient (skips junk, accepts missing padding and the standard alphabet), so we check first.

const CANONICAL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PAD = ['', '===', '==', '='] as const;

/** Encodes bytes as base64url with `=` padding. */
export function encodeBase64Url(bytes: Buffer): string {
  const text = bytes.toString('base64url');
  return text + PAD[text.length & 3];
}

/**
 * Decodes padded base64url, or returns `null` for anything else: a wrong length, a foreign
 * character, missing or extra padding, or non-zero trailing bits (which would let two different
 * strings decode to the same bytes).
 */
export function decodeBase64Url(text: string): Buffer | null {
  if (text.length === 0 || (text.length & 3) !== 0 || !CANONICAL.test(text)) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (padding > 0) {
    const last = ALPHABET.indexOf(text[text.length - padding - 1] as string);
    if ((last & (padding === 2 ? 0x0f : 0x03)) !== 0) return null;
  }
  return Buffer.from(text, 'base64url');
}
