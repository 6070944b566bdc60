import { CliError, EXIT_CODES, exitCodeForTokenError } from './exit-codes';

/** A server's answer: status and parsed JSON body (null when it sent none or not JSON). */
export interface ServerResponse {
  readonly status: number;
  readonly body: unknown;
}

const TIMEOUT_MS = 15_000;

/**
 * Calls `{base}{path}` with an optional bearer token and JSON body.
 * @throws CliError (exit 6) when the server cannot be reached.
 */
export async function callServer(
  base: URL,
  path: string,
  init: { method: 'GET' | 'POST'; token?: string; json?: unknown },
): Promise<ServerResponse> {
  const url = new URL(base.href.replace(/\/+$/, '') + path);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers,
      ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason =
      typeof cause?.code === 'string'
        ? cause.code
        : error instanceof Error && error.name === 'TimeoutError'
          ? 'timed out'
          : typeof cause?.message === 'string' && /redirect/i.test(cause.message)
            ? 'it redirects; pass the final URL'
            : 'request failed';
    throw new CliError(`cannot reach ${url.origin} (${reason})`, EXIT_CODES.unavailable);
  }
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: response.status, body };
}

/**
 * The error for a non-2xx answer: the server's `error` text and `code` (one line, bounded, never
 * the raw body), with the exit code its SecureToken `code` maps to (unless `tokenCodes` is false,
 * for answers about something other than the token sent), else 6 for a 5xx, else `fallbackExit`.
 */
export function serverError(
  what: string,
  response: ServerResponse,
  options: { fallbackExit?: number; tokenCodes?: boolean } = {},
): CliError {
  const { fallbackExit = EXIT_CODES.error, tokenCodes = true } = options;
  const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as {
    error?: unknown;
    code?: unknown;
  };
  const code = typeof body.code === 'string' && /^[a-z_]{1,40}$/.test(body.code) ? body.code : undefined;
  const text = typeof body.error === 'string' ? body.error.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
  const detail = [text || `HTTP ${response.status}`, code && `(${code})`].filter(Boolean).join(' ');
  const exit =
    (code !== undefined && tokenCodes ? exitCodeForTokenError(code) : undefined) ??
    (response.status >= 500 ? EXIT_CODES.unavailable : fallbackExit);
  return new CliError(`${what}: ${detail}`, exit);
}

/**
 * Parses the `--url` of a server.
 * @throws CliError (exit 1) unless it is an absolute http(s) URL without credentials.
 */
export function parseServerUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never echo it: an unparseable URL can still carry a password (http://me:pw@host:99999).
    throw new CliError('--url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('--url must be an http or https URL');
  if (url.username || url.password) throw new CliError('--url must not contain credentials');
  url.search = '';
  url.hash = '';
  return url;
}

/** True when a password or token sent to `url` would cross the network in clear text. */
export function isCleartextRemote(url: URL): boolean {
  if (url.protocol === 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}
