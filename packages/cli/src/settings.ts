import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSettings, SecureTokenManager, type RevocationStore } from '@securetoken/core';
import { CliError } from './exit-codes';
import type { CliIO } from './io';

/**
 * The environment a command runs with: the process environment over the `--env-file` values,
 * the precedence of Node's own `--env-file`.
 */
export function commandEnv(io: CliIO, envFile: string | undefined): Readonly<Record<string, string | undefined>> {
  if (envFile === undefined) return io.env;
  let text: string;
  try {
    text = readFileSync(envFile, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliError(`cannot read env file ${envFile} (${reason})`);
  }
  return { ...parseEnvFile(text), ...io.env };
}

/**
 * Reads `.env` lines: `KEY=value`, optional `export `, `#` comments, single quotes (literal),
 * double quotes (with `\n` escapes) and unquoted values ending at ` #`.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!match) continue;
    const [, key, rest] = match as unknown as [string, string, string];
    let value: string;
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      value = end === -1 ? rest.slice(1) : rest.slice(1, end);
    } else if (rest.startsWith('"')) {
      const end = rest.indexOf('"', 1);
      value = (end === -1 ? rest.slice(1) : rest.slice(1, end)).replace(/\\n/g, '\n');
    } else {
      value = rest.replace(/\s+#.*$/, '');
    }
    values[key] = value;
  }
  return values;
}

/**
 * A manager for commands that handle tokens. Unlike a development server, the command never
 * invents a random key: a token issued or checked with one would be meaningless.
 * @throws ConfigurationError (`configuration_error`) for invalid settings; CliError when unset.
 */
export function managerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  revocationStore?: RevocationStore,
): SecureTokenManager {
  const settings = loadSettings(env);
  if (settings.secretKey === undefined || settings.salt === undefined) {
    throw new CliError(
      'SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT must be set (environment or --env-file); `securetoken keygen` makes a pair',
    );
  }
  return new SecureTokenManager({ ...settings, environment: 'production', ...(revocationStore && { revocationStore }) });
}

/**
 * The servers' revocation store, from a module file whose default export (or named export
 * `createRevocationStore`) is a store or a function of the environment returning one. Without it
 * the command cannot know about revocations: a fresh in-memory store has none.
 * @throws CliError (exit 1) when the module cannot be loaded or exports no store.
 */
export async function loadRevocationStore(
  path: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RevocationStore | undefined> {
  if (path === undefined || path === '') return undefined;
  let exports: { default?: unknown; createRevocationStore?: unknown };
  try {
    exports = (await import(pathToFileURL(resolve(path)).href)) as typeof exports;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.name : 'failed');
    throw new CliError(`cannot load revocation store module ${path} (${reason})`);
  }
  const candidate = exports.createRevocationStore ?? exports.default;
  const store: unknown = typeof candidate === 'function' ? await (candidate as (e: typeof env) => unknown)(env) : candidate;
  if (typeof (store as Partial<RevocationStore> | undefined)?.isRevoked !== 'function') {
    throw new CliError(`revocation store module ${path} exports no store (a default export with isRevoked, or a function returning one)`);
  }
  return store as RevocationStore;
}
