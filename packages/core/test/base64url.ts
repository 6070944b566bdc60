import { decodeBase64UrlInto, encodeBase64UrlRange } from '../src/base64url';

/** Whole-buffer views of the range functions the token path uses, for tests. */
export function decodeBase64Url(text: string): Buffer | null {
  const bytes = Buffer.alloc((Math.ceil(text.length / 4) + 1) * 3);
  const length = decodeBase64UrlInto(text, bytes, 0);
  return length < 0 ? null : bytes.subarray(0, length);
}

export function encodeBase64Url(bytes: Buffer): string {
  return encodeBase64UrlRange(bytes, 0, bytes.length);
}
