import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from '../test/base64url';

describe('strict base64url', () => {
  it('round-trips any bytes with padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const text = encodeBase64Url(Buffer.from(bytes));
        expect(text.length % 4).toBe(0);
        expect(decodeBase64Url(text)).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['missing padding', 'YWI'],
    ['extra padding', 'YWJj===='],
    ['standard alphabet', 'a+b/'],
    ['whitespace', 'YWJj YWJj'],
    ['newline', 'YWJj\n'],
    ['non-ASCII', 'YWJé'],
    ['padding in the middle', 'YQ==YWJj'],
    ['non-zero trailing bits', 'YR=='],
    ['non-zero trailing bits (one pad)', 'YWJ='],
  ])('refuses %s', (_, text) => {
    expect(decodeBase64Url(text)).toBeNull();
  });
});
