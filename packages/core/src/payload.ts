import type { JsonValue } from './types';

/** The Python package's plaintext, field for field (snake_case, this key order). */
export interface WirePayload {
  readonly token_id: string;
  readonly user_id: string;
  readonly permissions: readonly string[];
  readonly issued_at: string;
  readonly expires_at: string;
  readonly additional_data: Readonly<Record<string, JsonValue>>;
  readonly version: string;
}

/**
 * Compact JSON as Python's `json.dumps(..., separators=(",", ":"), ensure_ascii=False)` writes it.
 * Assembled field by field: the same text as `JSON.stringify(payload)` in about half the time,
 * since the id and times never need escaping and empty `additional_data` is the common case.
 * `token_id`, `issued_at` and `expires_at` must be JSON-safe text (base64url, ISO digits).
 */
export function encodePayload(payload: WirePayload): string {
  const data = payload.additional_data;
  const dataJson: string | undefined = isEmptyPlainObject(data) ? '{}' : JSON.stringify(data);
  return (
    `{"token_id":"${payload.token_id}","user_id":${JSON.stringify(payload.user_id)}` +
    `,"permissions":${JSON.stringify(payload.permissions)}` +
    `,"issued_at":"${payload.issued_at}","expires_at":"${payload.expires_at}"` +
    // JSON.stringify leaves a key out when its value serializes to nothing (a toJSON returning undefined).
    (dataJson === undefined ? '' : `,"additional_data":${dataJson}`) +
    `,"version":${JSON.stringify(payload.version)}}`
  );
}

function isEmptyPlainObject(value: object): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/** Parses and shape-checks a decrypted payload; `null` when it is not the Python shape. */
export function decodePayload(plaintext: Buffer): WirePayload | null {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const payload = value as Record<string, unknown>;
  const { token_id, user_id, permissions, issued_at, expires_at, version } = payload;
  const additional = payload.additional_data ?? {};
  if (
    typeof token_id !== 'string' ||
    typeof user_id !== 'string' ||
    typeof issued_at !== 'string' ||
    typeof expires_at !== 'string' ||
    !Array.isArray(permissions) ||
    !permissions.every((permission) => typeof permission === 'string') ||
    typeof additional !== 'object' ||
    additional === null ||
    Array.isArray(additional) ||
    (version !== undefined && typeof version !== 'string')
  ) {
    return null;
  }
  return {
    token_id,
    user_id,
    permissions,
    issued_at,
    expires_at,
    additional_data: additional as Record<string, JsonValue>,
    version: version ?? '1.0',
  };
}
