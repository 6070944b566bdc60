import { grants, hasPermissions } from '@securetoken/core';
import { defineCommand, splitPermissions, type Command } from '../command';
import { CliError, EXIT_CODES, exitCodeOf } from '../exit-codes';
import { examineTokenArgument, refusal } from '../token-input';

export const verify: Command = defineCommand({
  name: 'verify',
  summary: 'check a token (and its permissions) for scripts',
  help: `Usage: securetoken verify TOKEN|- [--perm P]... [--any] [-q] [--env-file PATH] [--revocation-store MODULE]

Checks a token is valid and grants every --perm (or at least one, with --any). A granted
"prefix:*" grants everything under that prefix. Use - to read the token from stdin.

Options:
  --perm P         a required permission; repeat it or separate with commas
  --any            require at least one of the permissions instead of all
  -q, --quiet      print nothing on success
  --env-file PATH  read settings from a .env file (the environment wins)
  --revocation-store MODULE
                   check revocations in your servers' store: a module file exporting it
                   (default SECURETOKEN_REVOCATION_STORE); without one, nothing counts as revoked
  -h, --help       show this help

Exit codes: 0 valid and permitted, 1 usage or configuration error, 2 invalid, 3 expired,
4 revoked, 5 a permission is missing, 6 revocation store unavailable.

Example:
  securetoken verify - --perm admin < token.txt && echo allowed
`,
  options: {
    perm: { type: 'string', multiple: true },
    any: { type: 'boolean', default: false },
    quiet: { type: 'boolean', short: 'q', default: false },
    'env-file': { type: 'string' },
    'revocation-store': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const required = splitPermissions(values.perm);
    const { claims, error } = await examineTokenArgument(this, values, positionals, io);
    if (error) throw new CliError(refusal(error), exitCodeOf(error));
    if (!hasPermissions(claims.permissions, required, values.any ? 'any' : 'all')) {
      const missing = required.filter((permission) => !grants(claims.permissions, permission));
      const message = values.any
        ? `token grants none of ${required.join(', ')}`
        : `token lacks permission ${missing.join(', ')}`;
      throw new CliError(message, EXIT_CODES.permissionDenied);
    }
    if (!values.quiet) {
      const held = required.filter((permission) => grants(claims.permissions, permission));
      const granted = held.length > 0 ? ` with ${held.join(', ')}` : '';
      io.stdout.write(`valid: ${claims.userId}${granted}, ${claims.timeRemaining} remaining\n`);
    }
    return EXIT_CODES.ok;
  },
});
