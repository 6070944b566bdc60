import { request as httpRequest, type IncomingMessage, type RequestListener, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the suites send: `headers` values may be arrays, to send a header twice. */
export interface TestRequest {
  readonly method: string;
  /** Path with optional query string, e.g. `/health?x=1`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** A string is sent as is; anything else as JSON with `content-type: application/json`. */
  readonly body?: unknown;
}

/** What came back: lower-cased header names, multi-valued headers joined with `, `. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the response says JSON, the text otherwise, `undefined` when empty. */
  readonly body: unknown;
}

/** A running app the suites talk to. */
export interface TestApp {
  send(request: TestRequest): Promise<TestResponse>;
  close(): Promise<void>;
}

/**
 * Serves a Node request listener (Express app, Koa `app.callback()`, a Nest HTTP server) on
 * `127.0.0.1` and an ephemeral port, and sends requests to it over a real socket.
 * @example
 * const app = await serveHttp(expressApp);
 * const res = await app.send({ method: 'GET', path: '/me' });
 * await app.close();
 */
export async function serveHttp(listener: RequestListener | Server): Promise<TestApp> {
  const server = typeof listener === 'function' ? createServer(listener) : listener;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    send: (req) => sendHttp(`http://127.0.0.1:${port}`, req),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Sends one request to `baseUrl` with `node:http` (not `fetch`, which cannot send a header twice).
 * @example
 * const res = await sendHttp('http://127.0.0.1:3000', { method: 'GET', path: '/health' });
 */
export function sendHttp(baseUrl: string, req: TestRequest): Promise<TestResponse> {
  const url = new URL(req.path, baseUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    headers[name] = typeof value === 'string' ? value : [...value];
  }
  let payload: string | undefined;
  if (req.body !== undefined) {
    payload = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve(toResponse(res, Buffer.concat(chunks).toString('utf8'))));
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/**
 * Builds a {@link TestResponse} from a status, headers in any common shape and a body text;
 * for harnesses that drive a framework without a socket (`fastify.inject`).
 */
export function toTestResponse(
  status: number,
  headers: Readonly<Record<string, string | number | readonly string[] | undefined>>,
  text: string,
): TestResponse {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const isJson = /\bjson\b/i.test(flat['content-type'] ?? '');
  let body: unknown = text === '' ? undefined : text;
  if (isJson && text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status, headers: flat, body };
}

function toResponse(res: IncomingMessage, text: string): TestResponse {
  return toTestResponse(res.statusCode ?? 0, res.headers, text);
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/**
 * Reads one cookie from a `Cookie` header; what a harness's `getToken` uses, since Express and
 * Fastify parse no cookies without a plugin.
 * @example
 * readCookie('a=1; st=abc', 'st'); // 'abc'
 */
export function readCookie(header: string | readonly string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const text = typeof header === 'string' ? header : header.join('; ');
  for (const part of text.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}
