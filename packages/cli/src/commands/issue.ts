import { ConfigurationError, MAX_EXPIRATION_HOURS, validateExpirationHours, type JsonValue } from '@securetoken/core';
import { defineCommand, splitPermissions, usageError, type Command } from '../command';
import { EXIT_CODES } from '../exit-codes';
import { commandEnv, managerFromEnv } from '../settings';

export const issue: Command = defineCommand({
  name: 'issue',
  summary: 'print a new token',
  help: `Usage: securetoken issue --user ID [--perm P]... [--hours H] [--data JSON] [--env-file PATH]

Prints a new token signed with the configured secret key and salt.

Options:
  --user ID        user id carried by the token (required)
  --perm P         a permission; repeat it or separate with commas (user:read,user:create)
  --hours H        lifetime in hours, in (0, 8760] (default SECURE_TOKEN_DEFAULT_EXPIRATION_HOURS or 24)
  --data JSON      additional data, a JSON object
  --env-file PATH  read settings from a .env file (the environment wins)
  -h, --help       show this help

Environment: SECURE_TOKEN_SECRET_KEY, SECURE_TOKEN_SALT, SECURE_TOKEN_DEFAULT_EXPIRATION_HOURS
(or the Python package's SECRET_KEY, SALT, DEFAULT_EXPIRATION_HOURS).

Example:
  securetoken issue --user alice --perm user:read --perm user:create --hours 2 --data '{"team":"ops"}'
`,
  options: {
    user: { type: 'string' },
    perm: { type: 'string', multiple: true },
    hours: { type: 'string' },
    data: { type: 'string' },
    'env-file': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw usageError(this, `unexpected argument ${positionals[0]}`);
    if (!values.user) throw usageError(this, '--user is required');
    let expiresInHours: number | undefined;
    if (values.hours !== undefined) {
      try {
        expiresInHours = validateExpirationHours(Number(values.hours), '--hours');
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        throw usageError(this, `--hours must be a number in (0, ${MAX_EXPIRATION_HOURS}]`);
      }
    }
    let additionalData: Record<string, JsonValue> | undefined;
    if (values.data !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(values.data);
      } catch {
        throw usageError(this, '--data is not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw usageError(this, '--data must be a JSON object');
      }
      additionalData = parsed as Record<string, JsonValue>;
    }
    const manager = managerFromEnv(commandEnv(io, values['env-file']));
    const token = manager.generateToken({
      userId: values.user,
      permissions: splitPermissions(values.perm),
      ...(expiresInHours !== undefined && { expiresInHours }),
      ...(additionalData !== undefined && { additionalData }),
    });
    io.stdout.write(`${token}\n`);
    return EXIT_CODES.ok;
  },
});
