import { generateSalt, generateSecretKey } from '@securetoken/core';
import { defineCommand, usageError, type Command } from '../command';
import { EXIT_CODES } from '../exit-codes';

export const keygen: Command = defineCommand({
  name: 'keygen',
  summary: 'print a new secret key and salt',
  help: `Usage: securetoken keygen [--format env|json] [--length N]

Prints a random secret key and salt that pass SecureToken's (and Python secure-token's) rules.

Options:
  --format env|json  .env lines (default) or a JSON object
  --length N         characters in each, 16 to 1024 (default 32)
  -h, --help         show this help

Example:
  securetoken keygen >> .env
`,
  options: {
    format: { type: 'string', default: 'env' },
    length: { type: 'string', default: '32' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw usageError(this, `unexpected argument ${positionals[0]}`);
    const length = /^\d+$/.test(values.length) ? Number(values.length) : Number.NaN;
    if (!(length >= 16 && length <= 1024)) throw usageError(this, '--length must be an integer from 16 to 1024');
    const secretKey = generateSecretKey(length);
    const salt = generateSalt(length);
    if (values.format === 'json') {
      io.stdout.write(`${JSON.stringify({ SECURE_TOKEN_SECRET_KEY: secretKey, SECURE_TOKEN_SALT: salt }, null, 2)}\n`);
    } else if (values.format === 'env') {
      // Single quotes keep `$` and `#` literal in dotenv, docker compose and shells alike.
      io.stdout.write(`SECURE_TOKEN_SECRET_KEY='${secretKey}'\nSECURE_TOKEN_SALT='${salt}'\n`);
    } else {
      throw usageError(this, '--format must be env or json');
    }
    return EXIT_CODES.ok;
  },
});
