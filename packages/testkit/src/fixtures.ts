import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryRevocationStore, SecureTokenManager, type RevocationStore } from '@securetoken/core';

/** Secret and salt of the managers the suite builds; tests only, never an app's settings. */
export const TEST_SECRET_KEY = 'Testkit-Secret#2026-xyz';
export const TEST_SALT = 'testkit-salt-0123456789';

/** The fixed instant the suite's managers live at (epoch ms). */
export const TEST_NOW = Date.parse('2026-06-01T12:00:00Z');

/** One token minted by the Python package, with the payload it carries. */
export interface PythonFixtureToken {
  readonly token: string;
  readonly payload: {
    readonly token_id: string;
    readonly user_id: string;
    readonly permissions: readonly string[];
    readonly issued_at: string;
    readonly expires_at: string;
    readonly additional_data: Record<string, unknown>;
  };
}

/** `fixtures/python-secure-token/tokens.json`: tokens minted by Python secure-token 1.0.2. */
export interface PythonFixtures {
  readonly secret_key: string;
  readonly salt: string;
  /** ISO time at which every `valid` token is unexpired. */
  readonly valid_at: string;
  /** ISO time at which every token has expired. */
  readonly expired_at: string;
  readonly valid: readonly PythonFixtureToken[];
  readonly expired: readonly PythonFixtureToken[];
  readonly invalid: readonly { readonly desc: string; readonly token: string }[];
}

const FIXTURE_PATH = fileURLToPath(
  new URL('../../../fixtures/python-secure-token/tokens.json', import.meta.url),
);

let fixtures: PythonFixtures | undefined;

/**
 * Loads the Python-minted fixture tokens (from the repository's `fixtures/`, or the path in
 * `SECURE_TOKEN_PYTHON_FIXTURES`).
 */
export function loadPythonFixtures(): PythonFixtures {
  fixtures ??= JSON.parse(readFileSync(process.env.SECURE_TOKEN_PYTHON_FIXTURES ?? FIXTURE_PATH, 'utf8')) as PythonFixtures;
  return fixtures;
}

/** Options of {@link createTestManager}. */
export interface TestManagerOptions {
  /** Epoch ms the manager's clock stands still at; defaults to {@link TEST_NOW}. */
  readonly now?: number;
  readonly revocationStore?: RevocationStore;
  readonly secretKey?: string;
  readonly salt?: string;
}

/**
 * A manager with the suite's secret and a frozen clock, so expiry is tested without sleeping:
 * mint with a clock in the past, verify with one in the present.
 * @example
 * const issuedYesterday = createTestManager({ now: TEST_NOW - 86_400_000 });
 */
export function createTestManager(options: TestManagerOptions = {}): SecureTokenManager {
  const now = options.now ?? TEST_NOW;
  return new SecureTokenManager({
    secretKey: options.secretKey ?? TEST_SECRET_KEY,
    salt: options.salt ?? TEST_SALT,
    now: () => now,
    revocationStore: options.revocationStore ?? new MemoryRevocationStore({ now: () => now }),
  });
}

/** A manager holding the Python fixture secret, its clock frozen at the fixtures' `valid_at`. */
export function createPythonFixtureManager(): SecureTokenManager {
  const data = loadPythonFixtures();
  return createTestManager({ secretKey: data.secret_key, salt: data.salt, now: Date.parse(data.valid_at) });
}

/** A revocation store that is always down: verification must fail closed with 503. */
export function createFailingStore(): RevocationStore {
  const down = () => Promise.reject(new Error('revocation store unreachable'));
  return { revoke: down, revokeAllForUser: down, isRevoked: down };
}
