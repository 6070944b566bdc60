import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A user the demo can log in: a name, a scrypt hash (never the password) and permissions. */
export interface DemoUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly permissions: readonly string[];
}

/**
 * The seed's two users. Passwords are documented (`admin`/`admin123`, `user`/`user123`) but the
 * table keeps only their scrypt hashes, as a real user store would.
 */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  {
    username: 'admin',
    passwordHash: 'scrypt$16384$8$1$J3G0FNEn-HXPt_KrHiPIQw$-rEkcIu9XyGgRChw0wkvDNGJDX54HyV-rzX-wwD5ru8',
    permissions: Object.freeze(['read', 'write', 'admin', 'delete', 'user:read', 'user:create']),
  },
  {
    username: 'user',
    passwordHash: 'scrypt$16384$8$1$5MSTx42fOUKAsTHVv2gKzg$7r6OI4t96j9oilztzrpBwkiEh858fhadyjeGqu1ZhQc',
    permissions: Object.freeze(['read', 'write']),
  },
]);

const KEY_LENGTH = 32;
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password with scrypt and a random salt, as `scrypt$N$r$p$salt$hash` (base64url).
 * @example
 * const stored = await hashPassword('correct horse');
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a hash from {@link hashPassword}, comparing in constant time.
 * A malformed hash is a mismatch, never an exception.
 * @example
 * if (await verifyPassword(body.password, user.passwordHash)) issueToken(user);
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

// Unknown names are checked against this hash too, so the answer time does not reveal which
// usernames exist.
const DECOY_HASH = DEMO_USERS[0]!.passwordHash;

/**
 * The user whose name and password match, or `null`; unknown names cost the same scrypt work.
 * @example
 * const user = await findUser(DEMO_USERS, 'admin', 'admin123');
 */
export async function findUser(users: readonly DemoUser[], username: string, password: string): Promise<DemoUser | null> {
  const user = users.find((candidate) => candidate.username === username);
  const matches = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
  return user !== undefined && matches ? user : null;
}
