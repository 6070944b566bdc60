import { SecureTokenManager } from '@securetoken/core';

// Stand-in for a login service, so the demo can be tried with curl:
//   node dist/issue-token.mjs alice user:read payment:create
const [userId, ...permissions] = process.argv.slice(2);
if (!userId) {
  process.stderr.write('usage: issue-token <userId> [permission...]\n');
  process.exit(2);
}
const manager = SecureTokenManager.fromEnv(process.env);
process.stdout.write(`${manager.generateToken({ userId, permissions, expiresInHours: 1 })}\n`);
