import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSalt, generateSecretKey, SecureTokenManager } from '@securetoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli, tempDir } from './run-cli';

const secretKey = generateSecretKey();
const salt = generateSalt();
const manager = new SecureTokenManager({ secretKey, salt });
const revoked = manager.generateToken({ userId: 'alice', permissions: ['reports'], expiresInHours: 1 });
const kept = manager.generateToken({ userId: 'bob', permissions: ['reports'], expiresInHours: 1 });

let dir: ReturnType<typeof tempDir>;
let storeModule: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = tempDir();
  // A stand-in for the servers' shared store (e.g. @securetoken/redis): revoked ids come from the
  // environment the command passes to the factory.
  storeModule = join(dir.path, 'store.mjs');
  writeFileSync(
    storeModule,
    `export default function createStore(env) {
  if (env.STORE_DOWN) return { async isRevoked() { throw new Error('connection refused'); } };
  const ids = new Set((env.REVOKED_IDS ?? '').split(','));
  return { async revoke() {}, async revokeAllForUser() {}, async isRevoked(token) { return ids.has(token.tokenId); } };
}
`,
  );
  writeFileSync(join(dir.path, 'named.mjs'), `export const createRevocationStore = { async isRevoked() { return true; } };\n`);
  writeFileSync(join(dir.path, 'empty.mjs'), `export const nothing = 1;\n`);
  env = {
    SECURE_TOKEN_SECRET_KEY: secretKey,
    SECURE_TOKEN_SALT: salt,
    REVOKED_IDS: manager.validateToken(revoked).tokenId,
  };
});
afterAll(() => dir.remove());

describe('revocation (--revocation-store / SECURETOKEN_REVOCATION_STORE)', () => {
  it('inspect exits 4 for a revoked token, still showing its claims', async () => {
    const result = await runCli(['inspect', revoked, '--revocation-store', storeModule], { env });
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/^User\s+alice$/m);
    expect(result.stderr).toBe('securetoken: token has been revoked\n');

    const json = await runCli(['inspect', revoked, '--json'], { env: { ...env, SECURETOKEN_REVOCATION_STORE: storeModule } });
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, code: 'token_revoked', userId: 'alice' });
  });

  it('accepts a token the store does not list, and knows of no revocation without a store', async () => {
    expect((await runCli(['inspect', kept, '--revocation-store', storeModule], { env })).code).toBe(0);
    expect((await runCli(['inspect', revoked], { env })).code).toBe(0);
  });

  it('verify exits 4 for a revoked token before looking at permissions', async () => {
    const result = await runCli(['verify', revoked, '--perm', 'admin', '--revocation-store', storeModule], { env });
    expect(result.code).toBe(4);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect((await runCli(['verify', kept, '--perm', 'reports', '--revocation-store', storeModule], { env })).code).toBe(0);
  });

  it('takes a named createRevocationStore export that is the store itself', async () => {
    const result = await runCli(['verify', kept, '--revocation-store', join(dir.path, 'named.mjs')], { env });
    expect(result.code).toBe(4);
  });

  it('exits 6 when the store cannot answer (fails closed)', async () => {
    const result = await runCli(['verify', kept, '--revocation-store', storeModule], { env: { ...env, STORE_DOWN: '1' } });
    expect(result.code).toBe(6);
    expect(result.stderr).toBe('securetoken: token revocation status unavailable\n');
  });

  it('exits 1 for a module that is missing or exports no store', async () => {
    const missing = await runCli(['inspect', kept, '--revocation-store', join(dir.path, 'nope.mjs')], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^securetoken: cannot load revocation store module .*nope\.mjs \(ERR_MODULE_NOT_FOUND\)\n$/);
    const empty = await runCli(['inspect', kept, '--revocation-store', join(dir.path, 'empty.mjs')], { env });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('exports no store');
  });
});
