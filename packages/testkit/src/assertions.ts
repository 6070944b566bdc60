import { expect } from 'vitest';
import type { TestApp, TestRequest, TestResponse } from './http-client';

/**
 * Sends a request and checks the response never contains the token it carried, in any header
 * or the body, whatever the outcome.
 */
export async function send(app: TestApp, request: TestRequest): Promise<TestResponse> {
  const res = await app.send(request);
  const secrets = credentialsOf(request);
  const exposed = JSON.stringify([res.headers, res.body ?? null]);
  for (const secret of secrets) {
    expect(exposed.includes(secret), 'a response must never contain the token').toBe(false);
  }
  return res;
}

function credentialsOf(request: TestRequest): string[] {
  const values = Object.values(request.headers ?? {}).flatMap((value) => (typeof value === 'string' ? [value] : [...value]));
  // Short fragments ("abc") would match by chance; every real token is far longer.
  return values
    .flatMap((value) => value.split(/[\s;=]+/))
    .filter((part) => part.length >= 24);
}

/**
 * Asserts a contract error: status, JSON body `{ error, code }` (plus `required` for
 * `permission_denied`) with no stack.
 */
export function expectError(res: TestResponse, status: number, code: string): void {
  expect({ status: res.status, code: (res.body as { code?: unknown } | undefined)?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.body as Record<string, unknown>;
  expect(typeof body.error).toBe('string');
  expect(Object.keys(body).sort()).toEqual(code === 'permission_denied' ? ['code', 'error', 'required'] : ['code', 'error']);
}
