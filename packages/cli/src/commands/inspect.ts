import { defineCommand, type Command } from '../command';
import { CliError, EXIT_CODES, exitCodeOf } from '../exit-codes';
import { claimsTable, claimsToJson, examineTokenArgument, refusal } from '../token-input';

export const inspect: Command = defineCommand({
  name: 'inspect',
  summary: 'validate a token and print its claims',
  help: `Usage: securetoken inspect TOKEN|- [--json] [--env-file PATH] [--revocation-store MODULE]

Validates a token with the configured secret key and salt and prints its claims: user,
permissions, token id, issued, expires, time remaining and additional data. Use - to read the
token from stdin. An expired or revoked token's claims are still printed, then the exit code says why.

Options:
  --json           print the claims as JSON (with "valid" and, when refused, "code")
  --env-file PATH  read settings from a .env file (the environment wins)
  --revocation-store MODULE
                   check revocations in your servers' store: a module file exporting it
                   (default SECURETOKEN_REVOCATION_STORE); without one, nothing counts as revoked
  -h, --help       show this help

Exit codes: 0 valid, 1 usage or configuration error, 2 invalid, 3 expired, 4 revoked,
6 revocation store unavailable.
`,
  options: {
    json: { type: 'boolean', default: false },
    'env-file': { type: 'string' },
    'revocation-store': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const { claims, error } = await examineTokenArgument(this, values, positionals, io);
    if (values.json) {
      const report = { valid: error === undefined, ...(error && { code: error.code }), ...(claims && claimsToJson(claims)) };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (claims) {
      io.stdout.write(claimsTable(claims));
    }
    if (error) throw new CliError(refusal(error), exitCodeOf(error));
    return EXIT_CODES.ok;
  },
});
