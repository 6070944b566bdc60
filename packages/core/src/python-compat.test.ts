import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { python } from '../test/fixtures';
import { pythonManager } from '../test/managers';
import { InvalidTokenError, SecureTokenManager, TokenExpiredError } from './index';

const validAt = Date.parse(python.valid_at);
const expiredAt = Date.parse(python.expired_at);

describe('tokens minted by Python secure-token', () => {
  const manager = pythonManager(validAt);

  it.each(python.valid.map((entry) => [entry.payload?.user_id, entry] as const))('reads %s with the exact payload', (_, entry) => {
    const payload = entry.payload as Record<string, unknown>;
    const claims = manager.validateToken(entry.token);
    expect(claims.tokenId).toBe(payload.token_id);
    expect(claims.userId).toBe(payload.user_id);
    expect(claims.permissions).toEqual(payload.permissions);
    expect(claims.additionalData).toEqual(payload.additional_data);
    // The fixture server ran in UTC, so its naive times read as UTC.
    expect(claims.issuedAt.getTime()).toBe(Math.floor(Date.parse(`${payload.issued_at as string}Z`)));
    expect(claims.expiresAt.getTime() - claims.issuedAt.getTime()).toBe(
      Date.parse(`${payload.expires_at as string}Z`) - Date.parse(`${payload.issued_at as string}Z`),
    );
  });

  it.each(python.valid.concat(python.expired).map((entry) => [entry.payload?.user_id, entry] as const))(
    'reports %s expired at expired_at',
    (_, entry) => {
      expect(() => pythonManager(expiredAt).validateToken(entry.token)).toThrow(TokenExpiredError);
    },
  );

  it('reports the short-lived token expired at valid_at, with when', () => {
    const [entry] = python.expired;
    try {
      manager.validateToken(entry?.token as string);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'token_expired', status: 401 });
      expect((error as TokenExpiredError).expiredAt.toISOString()).toBe('2026-12-03T15:31:07.362Z');
    }
  });

  it.each(python.invalid.map((entry) => [entry.desc, entry.token] as const))('refuses %s as invalid_token', (_, token) => {
    expect(() => manager.validateToken(token)).toThrow(InvalidTokenError);
  });
});

describe('our tokens in Python shape', () => {
  const manager = new SecureTokenManager({
    secretKey: python.secret_key,
    salt: python.salt,
    now: () => Date.parse('2026-12-03T15:40:00.250Z'),
    naiveTimeZone: 'Asia/Tehran',
  });

  it('are read by Python cryptography with the same secret and salt', () => {
    const token = manager.generateToken({
      userId: 'کاربر-ü-😀',
      permissions: ['read', 'user:create'],
      expiresInHours: 1.5,
      additionalData: { nested: { list: [1, 2.5, null, true, 'x'] }, quote: 'a"b\\c' },
    });
    const script = `
import base64, json, sys
from datetime import datetime
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
secret, salt, token = sys.argv[1:4]
key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=100000).derive(secret.encode())
inner = base64.urlsafe_b64decode(token)
fernet = Fernet(base64.urlsafe_b64encode(key))
payload = json.loads(fernet.decrypt(inner))
issued = datetime.fromisoformat(payload["issued_at"])
expires = datetime.fromisoformat(payload["expires_at"])
print(json.dumps({"payload": payload, "keys": list(payload.keys()), "ts": fernet.extract_timestamp(inner),
  "issued": issued.isoformat(), "lifetime": (expires - issued).total_seconds()}))
`;
    const out = JSON.parse(execFileSync('python3', ['-c', script, python.secret_key, python.salt, token], { encoding: 'utf8' }));
    expect(out.keys).toEqual(['token_id', 'user_id', 'permissions', 'issued_at', 'expires_at', 'additional_data', 'version']);
    expect(out.payload).toMatchObject({
      user_id: 'کاربر-ü-😀',
      permissions: ['read', 'user:create'],
      additional_data: { nested: { list: [1, 2.5, null, true, 'x'] }, quote: 'a"b\\c' },
      version: '1.0',
    });
    expect(out.payload.token_id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Tehran is UTC+3:30 all year: naive local text, as a Python service there writes it.
    expect(out.payload.issued_at).toBe('2026-12-03T19:10:00.250000');
    expect(out.ts).toBe(Math.floor(Date.parse('2026-12-03T15:40:00Z') / 1000));
    expect(out.lifetime).toBe(5400);
  });

  it('omit microseconds when zero, as isoformat does', () => {
    const whole = new SecureTokenManager({
      secretKey: python.secret_key,
      salt: python.salt,
      now: () => Date.parse('2026-12-03T15:40:00Z'),
      naiveTimeZone: 'UTC',
    });
    const info = whole.getTokenInfo(whole.generateToken({ userId: 'u' }));
    expect(info.valid && info.issuedAt.toISOString()).toBe('2026-12-03T15:40:00.000Z');
  });

  it('read back the same claims, whatever zone wrote them', () => {
    const reader = pythonManager(Date.parse('2026-12-03T15:45:00Z'));
    const claims = reader.validateToken(manager.generateToken({ userId: 'u', expiresInHours: 2 }));
    expect(claims.issuedAt.toISOString()).toBe('2026-12-03T15:40:00.250Z');
    expect(claims.expiresAt.toISOString()).toBe('2026-12-03T17:40:00.250Z');
  });
});
