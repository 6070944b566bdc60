import { randomInt } from 'node:crypto';
import { ConfigurationError } from './errors';

/** Settings read from the environment; anything absent is left to the manager's defaults. */
export interface SecureTokenSettings {
  readonly secretKey?: string;
  readonly salt?: string;
  readonly defaultExpirationHours?: number;
  readonly previousSecretKeys: readonly string[];
}

/** Lifetime bounds of the Python package, in hours. */
export const MAX_EXPIRATION_HOURS = 8760;
export const DEFAULT_EXPIRATION_HOURS = 24;
const SPECIALS = '@$!%*?&#';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Checks a secret against the Python package's rules: at least 16 characters with an upper-case
 * letter, a lower-case letter, a digit and one of `@$!%*?&#`.
 * @throws ConfigurationError (`configuration_error`) naming the rule broken, never the secret.
 */
export function validateSecretKey(secretKey: unknown, name = 'secretKey'): string {
  if (typeof secretKey !== 'string' || secretKey.length < 16) {
    throw new ConfigurationError(`${name} must be at least 16 characters`);
  }
  if (!/[A-Z]/.test(secretKey) || !/[a-z]/.test(secretKey) || !/[0-9]/.test(secretKey) || !/[@$!%*?&#]/.test(secretKey)) {
    throw new ConfigurationError(`${name} must contain upper-case, lower-case, a digit and one of ${SPECIALS}`);
  }
  return secretKey;
}

/**
 * Checks a salt is at least 16 bytes (UTF-8 for text) and returns its bytes.
 * @throws ConfigurationError (`configuration_error`).
 */
export function validateSalt(salt: unknown): Uint8Array {
  const bytes = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : salt instanceof Uint8Array ? salt : null;
  if (!bytes || bytes.length < 16) throw new ConfigurationError('salt must be at least 16 bytes');
  return bytes;
}

/**
 * Checks a lifetime in hours is a finite number in (0, 8760].
 * @throws ConfigurationError (`configuration_error`).
 */
export function validateExpirationHours(hours: unknown, name = 'expiresInHours'): number {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0 || hours > MAX_EXPIRATION_HOURS) {
    throw new ConfigurationError(`${name} must be a number of hours in (0, ${MAX_EXPIRATION_HOURS}]`);
  }
  return hours;
}

/**
 * Checks each permission is a string of 2 to 30 characters, as the Python package requires.
 * @throws ConfigurationError (`configuration_error`).
 */
export function validatePermissions(permissions: unknown): readonly string[] {
  if (!Array.isArray(permissions)) throw new ConfigurationError('permissions must be an array of strings');
  for (const permission of permissions) {
    if (typeof permission !== 'string' || permission.length < 2 || permission.length > 30) {
      throw new ConfigurationError('each permission must be a string of 2 to 30 characters');
    }
  }
  return permissions as readonly string[];
}

/**
 * Reads settings from `SECURE_TOKEN_*` variables, falling back to the Python package's names
 * (`SECRET_KEY`, `SALT`, `DEFAULT_EXPIRATION_HOURS`) so one `.env` serves both.
 * `SECURE_TOKEN_PREVIOUS_SECRET_KEYS` is a comma-separated list of retired secrets.
 * @throws ConfigurationError (`configuration_error`) for a value that fails validation.
 * @example
 * const settings = loadSettings(process.env);
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>> = process.env): SecureTokenSettings {
  const pick = (primary: string, fallback?: string): string | undefined => {
    const value = env[primary] ?? (fallback ? env[fallback] : undefined);
    return value === undefined || value === '' ? undefined : value;
  };
  const secretKey = pick('SECURE_TOKEN_SECRET_KEY', 'SECRET_KEY');
  const salt = pick('SECURE_TOKEN_SALT', 'SALT');
  const hours = pick('SECURE_TOKEN_DEFAULT_EXPIRATION_HOURS', 'DEFAULT_EXPIRATION_HOURS');
  const previous = pick('SECURE_TOKEN_PREVIOUS_SECRET_KEYS');
  const previousSecretKeys = previous
    ? previous.split(',').map((key) => key.trim()).filter((key) => key.length > 0)
    : [];
  if (secretKey !== undefined) validateSecretKey(secretKey, 'SECURE_TOKEN_SECRET_KEY');
  if (salt !== undefined) validateSalt(salt);
  previousSecretKeys.forEach((key) => validateSecretKey(key, 'SECURE_TOKEN_PREVIOUS_SECRET_KEYS'));
  let defaultExpirationHours: number | undefined;
  if (hours !== undefined) {
    const parsed = /^\s*\d+(?:\.\d+)?\s*$/.test(hours) ? Number(hours) : Number.NaN;
    defaultExpirationHours = validateExpirationHours(parsed, 'SECURE_TOKEN_DEFAULT_EXPIRATION_HOURS');
  }
  return {
    ...(secretKey !== undefined && { secretKey }),
    ...(salt !== undefined && { salt }),
    ...(defaultExpirationHours !== undefined && { defaultExpirationHours }),
    previousSecretKeys,
  };
}

/**
 * A random secret that always passes {@link validateSecretKey} (the Python generator's output
 * sometimes does not): url-safe characters plus one of each required class, shuffled.
 * @example
 * const secretKey = generateSecretKey(); // e.g. 'q7K#...' (32 characters)
 */
export function generateSecretKey(length = 32): string {
  if (!Number.isInteger(length) || length < 16 || length > 1024) {
    throw new RangeError('length must be an integer from 16 to 1024');
  }
  const pickFrom = (alphabet: string) => alphabet[randomInt(alphabet.length)] as string;
  const chars = [
    pickFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    pickFrom('abcdefghijklmnopqrstuvwxyz'),
    pickFrom('0123456789'),
    pickFrom(SPECIALS),
  ];
  while (chars.length < length) chars.push(pickFrom(URL_SAFE + SPECIALS));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/**
 * A random url-safe salt of `length` characters (each one byte in UTF-8), for `SECURE_TOKEN_SALT`.
 * @example
 * const salt = generateSalt(); // 32 characters
 */
export function generateSalt(length = 32): string {
  if (!Number.isInteger(length) || length < 16 || length > 1024) {
    throw new RangeError('length must be an integer from 16 to 1024');
  }
  let salt = '';
  for (let i = 0; i < length; i++) salt += URL_SAFE[randomInt(URL_SAFE.length)];
  return salt;
}
