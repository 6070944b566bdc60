import { InvalidRequestError } from './errors';

/** A framework-neutral view of an incoming request: what core needs to find a bearer token. */
export interface AuthRequest {
  /** Lower-cased header names, as Node's `IncomingMessage.headers`. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * Raw header list (`IncomingMessage.rawHeaders`). Node keeps only the first of several
   * `Authorization` headers in `headers`; with this, a doubled header is refused instead.
   */
  readonly rawHeaders?: readonly string[];
}

// RFC 6750 section 2.1: credentials = "Bearer" 1*SP b64token
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*(?: |$)/;

/**
 * Finds the bearer token in a request's `Authorization` header.
 *
 * Returns `null` when there is no header, or when it uses another scheme (RFC 6750 section 3.1:
 * a request without bearer credentials gets no error code).
 * @throws InvalidRequestError (`invalid_request`, 400) for a doubled header, a `Bearer` header
 *   without a token, or a token with characters outside the b64token alphabet.
 * @example
 * extractBearerToken({ headers: { authorization: 'Bearer abc' } }); // 'abc'
 */
export function extractBearerToken(request: AuthRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  if (Array.isArray(header) || countAuthorization(request.rawHeaders) > 1) {
    throw new InvalidRequestError('Multiple Authorization headers');
  }
  if (header === '') return null;
  const match = BEARER.exec(header);
  if (match) return match[1] as string;
  // A header that starts like Bearer but does not parse is a client mistake, not another scheme.
  if (/^bearer/i.test(header) || !SCHEME.test(header)) throw new InvalidRequestError();
  return null;
}

function countAuthorization(rawHeaders: readonly string[] | undefined): number {
  if (!rawHeaders) return 0;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization') count++;
  }
  return count;
}
