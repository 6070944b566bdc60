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

/** Compact JSON as Python's `json.dumps(..., separators=(",", ":"), ensure_ascii=False)` writes it. */
export function encodePayload(payload: WirePayload): string {
  return JSON.stringify(payload);
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
