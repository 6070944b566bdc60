import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateSalt,
  generateSecretKey,
  SecureTokenManager,
  validateSalt,
  validateSecretKey,
} from '@securetoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli, tempDir } from './run-cli';

const secretKey = generateSecretKey();
const salt = generateSalt();
const env = { SECURE_TOKEN_SECRET_KEY: secretKey, SECURE_TOKEN_SALT: salt };
const manager = new SecureTokenManager({ secretKey, salt });
const HOUR = 3_600_000;
// A manager whose clock is three hours behind mints tokens that expired two hours ago.
const pastManager = new SecureTokenManager({ secretKey, salt, now: () => Date.now() - 3 * HOUR });
const foreignManager = new SecureTokenManager({ secretKey: generateSecretKey(), salt });

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

function tamper(token: string): string {
  const i = Math.floor(token.length / 2);
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

describe('keygen', () => {
  it('prints .env lines whose key and salt pass validation and work with --env-file', async () => {
    const result = await runCli(['keygen']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const match = /^SECURE_TOKEN_SECRET_KEY='([^']+)'\nSECURE_TOKEN_SALT='([^']+)'\n$/.exec(result.stdout);
    expect(match).not.toBeNull();
    const [, key, keySalt] = match as unknown as [string, string, string];
    expect(validateSecretKey(key)).toBe(key);
    expect(validateSalt(keySalt)).toHaveLength(32);

    const envFile = join(dir.path, 'keygen.env');
    writeFileSync(envFile, `# made by keygen\n${result.stdout}`);
    const issued = await runCli(['issue', '--user', 'alice', '--env-file', envFile]);
    expect(issued.code).toBe(0);
    const claims = new SecureTokenManager({ secretKey: key, salt: keySalt }).validateToken(issued.stdout.trim());
    expect(claims.userId).toBe('alice');
    expect((await runCli(['inspect', issued.stdout.trim(), '--env-file', envFile])).code).toBe(0);
  });

  it('prints JSON, a fresh pair each time, of the requested length', async () => {
    const first = await runCli(['keygen', '--format', 'json', '--length', '40']);
    const second = await runCli(['keygen', '--format', 'json']);
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as Record<string, string>;
    const b = JSON.parse(second.stdout) as Record<string, string>;
    expect(Object.keys(a)).toEqual(['SECURE_TOKEN_SECRET_KEY', 'SECURE_TOKEN_SALT']);
    expect(a.SECURE_TOKEN_SECRET_KEY).toHaveLength(40);
    validateSecretKey(a.SECURE_TOKEN_SECRET_KEY);
    validateSalt(a.SECURE_TOKEN_SALT);
    expect(b.SECURE_TOKEN_SECRET_KEY).not.toBe(a.SECURE_TOKEN_SECRET_KEY);
    expect(b.SECURE_TOKEN_SALT).not.toBe(a.SECURE_TOKEN_SALT);
  });

  it.each([
    [['--format', 'yaml'], '--format must be env or json'],
    [['--length', '8'], '--length must be an integer from 16 to 1024'],
    [['extra'], 'unexpected argument extra'],
  ])('rejects %j as a usage error', async (args, message) => {
    const result = await runCli(['keygen', ...args]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(message);
  });
});

describe('issue', () => {
  it('prints a token with the user, permissions (repeated or comma-separated), lifetime and data', async () => {
    const before = Date.now();
    const result = await runCli(
      ['issue', '--user', 'alice', '--perm', 'user:read,user:create', '--perm', 'admin', '--hours', '2', '--data', '{"team":"ops"}'],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const claims = manager.validateToken(result.stdout.trim());
    expect(claims.userId).toBe('alice');
    expect(claims.permissions).toEqual(['user:read', 'user:create', 'admin']);
    expect(claims.additionalData).toEqual({ team: 'ops' });
    const lifetime = claims.expiresAt.getTime() - claims.issuedAt.getTime();
    expect(lifetime).toBe(2 * HOUR);
    expect(claims.issuedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("reads the Python package's variable names and the default lifetime", async () => {
    const result = await runCli(['issue', '--user', 'bob'], {
      env: { SECRET_KEY: secretKey, SALT: salt, DEFAULT_EXPIRATION_HOURS: '3' },
    });
    expect(result.code).toBe(0);
    const claims = manager.validateToken(result.stdout.trim());
    expect(claims.expiresAt.getTime() - claims.issuedAt.getTime()).toBe(3 * HOUR);
  });

  it('prefers the environment over --env-file', async () => {
    const envFile = join(dir.path, 'other.env');
    writeFileSync(envFile, `SECURE_TOKEN_SECRET_KEY="${generateSecretKey()}"\nSECURE_TOKEN_SALT=${generateSalt()} # comment\n`);
    const result = await runCli(['issue', '--user', 'carol', '--env-file', envFile], { env });
    expect(manager.validateToken(result.stdout.trim()).userId).toBe('carol');
  });

  it.each([
    [[], '--user is required'],
    [['--user'], "Option '--user <value>' argument missing"],
    [['--user', 'a', '--bogus'], "Unknown option '--bogus'"],
    [['--user', 'a', '--data', '{nope'], '--data is not valid JSON'],
    [['--user', 'a', '--data', '[1]'], '--data must be a JSON object'],
    [['--user', 'a', '--hours', '0'], '--hours must be a number in (0, 8760]'],
    [['--user', 'a', '--hours', 'soon'], '--hours must be a number in (0, 8760]'],
    [['--user', 'a', '--hours', '8760.5'], '--hours must be a number in (0, 8760]'],
    [['--user', 'a', '--hours', 'Infinity'], '--hours must be a number in (0, 8760]'],
    [['--user', 'a', '--perm', 'x'], 'each permission must be a string of 2 to 30 characters'],
  ])('exits 1 with one line for %j', async (args, message) => {
    const result = await runCli(['issue', ...args], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(message);
  });

  it("accepts any lifetime core's validateExpirationHours accepts, up to the bound", async () => {
    const half = await runCli(['issue', '--user', 'alice', '--hours', ' 0.5 '], { env });
    expect(half.code).toBe(0);
    const halfClaims = manager.validateToken(half.stdout.trim());
    expect(halfClaims.expiresAt.getTime() - halfClaims.issuedAt.getTime()).toBe(HOUR / 2);
    const year = await runCli(['issue', '--user', 'alice', '--hours', '8760'], { env });
    expect(year.code).toBe(0);
    const yearClaims = manager.validateToken(year.stdout.trim());
    expect(yearClaims.expiresAt.getTime() - yearClaims.issuedAt.getTime()).toBe(8760 * HOUR);
  });

  it('refuses to invent a key when none is configured', async () => {
    const result = await runCli(['issue', '--user', 'alice']);
    expect(result.code).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT must be set');
  });

  it('names the broken rule, never the secret', async () => {
    const weak = 'weak-secret-that-is-long';
    const result = await runCli(['issue', '--user', 'alice'], { env: { SECURE_TOKEN_SECRET_KEY: weak, SECURE_TOKEN_SALT: salt } });
    expect(result.code).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('SECURE_TOKEN_SECRET_KEY must contain');
    expect(result.stderr).not.toContain(weak);
  });

  it('reports an unreadable --env-file', async () => {
    // Node itself checks an `--env-file` it sees among a script's arguments (nodejs/node#54232)
    // unless they follow `--`; through `--` this test reaches the command's own check.
    const result = await runCli(['issue', '--user', 'a', '--env-file', join(dir.path, 'missing.env')], { nodeArgs: ['--'] });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^securetoken: cannot read env file .*missing\.env \(ENOENT\)\n$/);
  });
});

describe('inspect', () => {
  const token = manager.generateToken({
    userId: 'alice',
    permissions: ['user:read', 'admin'],
    expiresInHours: 2,
    additionalData: { team: 'ops' },
  });
  const claims = manager.validateToken(token);

  it('prints the claims as a table', async () => {
    const result = await runCli(['inspect', token], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const rows = Object.fromEntries(result.stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/) as [string, string]));
    expect(rows).toMatchObject({
      User: 'alice',
      Permissions: 'user:read, admin',
      'Token ID': claims.tokenId,
      Issued: claims.issuedAt.toISOString(),
      Expires: claims.expiresAt.toISOString(),
      Data: '{"team":"ops"}',
    });
    expect(rows['Time remaining']).toMatch(/^1:59:\d\d$|^2:00:00$/);
    expect(result.stdout).not.toContain(token);
  });

  it('reads the token from stdin with - and prints JSON with --json', async () => {
    const result = await runCli(['inspect', '-', '--json'], { env, input: `${token}\n` });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: true,
      userId: 'alice',
      permissions: ['user:read', 'admin'],
      tokenId: claims.tokenId,
      issuedAt: claims.issuedAt.toISOString(),
      expiresAt: claims.expiresAt.toISOString(),
      additionalData: { team: 'ops' },
    });
  });

  it.each([
    ['tampered', () => tamper(token)],
    ['made with another key', () => foreignManager.generateToken({ userId: 'alice' })],
    ['garbage', () => 'not-a-token'],
  ])('exits 2 for a %s token, without echoing it', async (_name, make) => {
    const bad = make();
    const result = await runCli(['inspect', bad], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('invalid token');
    expect(result.stderr).not.toContain(bad);
  });

  it('exits 2 with a JSON report for --json', async () => {
    const result = await runCli(['inspect', tamper(token), '--json'], { env });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ valid: false, code: 'invalid_token' });
  });

  it('exits 3 for an expired token and still shows its claims', async () => {
    const expired = pastManager.generateToken({ userId: 'old', permissions: ['user:read'], expiresInHours: 1 });
    const expiredAt = pastManager.validateToken(expired).expiresAt;
    const table = await runCli(['inspect', expired], { env });
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/^User\s+old$/m);
    expect(table.stdout).toMatch(/^Time remaining\s+0:00:00$/m);
    expect(table.stderr).toBe(`securetoken: token expired at ${expiredAt.toISOString()}\n`);

    const json = await runCli(['inspect', expired, '--json'], { env });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, code: 'token_expired', userId: 'old', timeRemainingMs: 0 });
  });

  it('reads a token minted by the Python package', async () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../../../fixtures/python-secure-token/tokens.json', import.meta.url), 'utf8'),
    ) as { secret_key: string; salt: string; valid: { token: string; payload: { user_id: string; expires_at: string } }[] };
    const [first] = fixture.valid;
    if (!first) throw new Error('fixture has no token');
    // The fixture was minted in UTC on a fixed date; the binary runs on the real clock.
    const expected = Date.now() < Date.parse(`${first.payload.expires_at}Z`) ? 0 : 3;
    const result = await runCli(['inspect', first.token], {
      env: { SECURE_TOKEN_SECRET_KEY: fixture.secret_key, SECURE_TOKEN_SALT: fixture.salt },
    });
    expect(result.code).toBe(expected);
    expect(result.stdout).toMatch(new RegExp(`^User\\s+${first.payload.user_id}$`, 'm'));
  });

  it.each([
    [[], 'expected one TOKEN argument'],
    [['a', 'b'], 'expected one TOKEN argument'],
  ])('exits 1 for arguments %j', async (args, message) => {
    const result = await runCli(['inspect', ...args], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('exits 1 for an empty stdin', async () => {
    const result = await runCli(['inspect', '-'], { env, input: '\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the token is empty');
  });
});

describe('verify', () => {
  const token = manager.generateToken({ userId: 'alice', permissions: ['user:*', 'reports'], expiresInHours: 1 });

  it('exits 0 when every permission is granted (wildcards included)', async () => {
    const result = await runCli(['verify', token, '--perm', 'user:read', '--perm', 'reports'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid: alice with user:read, reports, 0:59:\d\d remaining\n$/);
    expect(result.stderr).toBe('');
  });

  it('exits 0 silently with --quiet, and without --perm checks validity only', async () => {
    const result = await runCli(['verify', '-', '-q'], { env, input: token });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 5 naming the missing permission', async () => {
    const result = await runCli(['verify', token, '--perm', 'user:read,admin'], { env });
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('securetoken: token lacks permission admin\n');
  });

  it('with --any, exits 0 when one permission is granted and 5 when none is', async () => {
    const one = await runCli(['verify', token, '--any', '--perm', 'admin,reports'], { env });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^valid: alice with reports, /);
    const none = await runCli(['verify', token, '--any', '--perm', 'admin,billing'], { env });
    expect(none.code).toBe(5);
    expect(none.stderr).toBe('securetoken: token grants none of admin, billing\n');
  });

  it('exits 2 for an invalid token and 3 for an expired one', async () => {
    expect((await runCli(['verify', tamper(token), '--perm', 'reports'], { env })).code).toBe(2);
    const expired = pastManager.generateToken({ userId: 'alice', permissions: ['reports'], expiresInHours: 1 });
    const result = await runCli(['verify', expired, '--perm', 'reports'], { env });
    expect(result.code).toBe(3);
    expect(isOneLineError(result.stderr)).toBe(true);
  });
});

describe('help and usage', () => {
  it.each(['keygen', 'issue', 'inspect', 'verify', 'login', 'status', 'logout'])('%s --help exits 0', async (name) => {
    const result = await runCli([name, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: securetoken ${name}`));
    expect(result.stderr).toBe('');
  });

  it('lists the commands for --help, and exits 1 with the list on stderr when given none', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stderr).toBe('');
    const none = await runCli([]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(help.stdout);
  });

  it('exits 1 for an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('securetoken: unknown command frobnicate (see securetoken --help)\n');
  });
});
