import { readFileSync } from 'node:fs';
import { loadSettings, SecureTokenManager } from '@securetoken/core';
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
export function managerFromEnv(env: Readonly<Record<string, string | undefined>>): SecureTokenManager {
  const settings = loadSettings(env);
  if (settings.secretKey === undefined || settings.salt === undefined) {
    throw new CliError(
      'SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT must be set (environment or --env-file); `securetoken keygen` makes a pair',
    );
  }
  return new SecureTokenManager({ ...settings, environment: 'production' });
}
