import { SecureTokenManager } from '@securetoken/core';
import { loadSharedSettings } from '@securetoken/demo-shared';

// Stand-in for a login service, so the demo can be tried with curl:
//   node dist/issue-token.mjs alice user:read payment:create
// It needs the gateway's secret and salt: a token under a random development key would be
// refused by the gateway, so it refuses to print one.
const [userId, ...permissions] = process.argv.slice(2);
if (!userId) {
  process.stderr.write('usage: issue-token <userId> [permission...]\n');
  process.exit(2);
}
try {
  const manager = new SecureTokenManager(loadSharedSettings(process.env));
  process.stdout.write(`${manager.generateToken({ userId, permissions, expiresInHours: 1 })}\n`);
} catch (error) {
  process.stderr.write(`issue-token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
