import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from '../test/base64url';

// The definition the fast decoder must match: padded base64url, exactly one spelling per byte string.
const CANONICAL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function reference(text: string): Buffer | null {
  if (text.length === 0 || text.length % 4 !== 0 || !CANONICAL.test(text)) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const last = ALPHABET.indexOf(text[text.length - padding - 1] as string);
  if (padding > 0 && (last & (padding === 2 ? 0x0f : 0x03)) !== 0) return null;
  return Buffer.from(text, 'base64url');
}

const unit = fc.constantFrom(...'AQgwBCYZaz09-_+/= \n\t.é\u0000\u00ff\u2028'.split(''));
const canonical = fc.uint8Array({ maxLength: 40 }).map((bytes) => {
  const text = Buffer.from(bytes).toString('base64url');
  return text + ['', '===', '==', '='][text.length % 4];
});
// Canonical text with one character replaced: the near misses a tamperer would try.
const nearMiss = fc.tuple(canonical, fc.nat(60), unit).map(([text, at, char]) => (at < text.length ? text.slice(0, at) + char + text.slice(at + 1) : text));

describe('strict base64url against its regex definition', () => {
  it('accepts and refuses exactly what the definition does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 24 }), canonical, nearMiss), (text) => {
        const expected = reference(text);
        const actual = decodeBase64Url(text);
        if (expected === null) expect(actual).toBeNull();
        else expect(actual).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
  });
});
