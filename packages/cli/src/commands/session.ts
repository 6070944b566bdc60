import { defineCommand, usageError, type Command } from '../command';
import { CliError, EXIT_CODES } from '../exit-codes';
import { callServer, isCleartextRemote, parseServerUrl, serverError } from '../http';
import type { CliIO } from '../io';
import { readSecret } from '../prompt';
import { configDir, deleteSession, readSession, sessionPath, writeSession, type Session } from '../session-store';
import { table } from '../token-input';

const TOKEN_FIELDS = ['access_token', 'token', 'accessToken'];

/** Profile keys never printed: a server may echo a token or worse in its profile. */
const SECRET_KEY = /token|password|secret/i;

export const login: Command = defineCommand({
  name: 'login',
  summary: 'log in to a SecureToken server and keep the token',
  help: `Usage: securetoken login --url URL [--token-field NAME] USER

Asks for USER's password (never echoed; read from stdin when it is not a terminal), sends
{"username","password"} to POST URL/api/login and stores the token it returns in
$XDG_CONFIG_HOME/securetoken/session.json (default ~/.config/securetoken), readable by you only.

Options:
  --url URL          the server (default SECURETOKEN_URL)
  --token-field NAME where the response carries the token, a dotted path
                     (default: access_token, token or accessToken)
  -h, --help         show this help

Example:
  securetoken login --url http://localhost:3000 admin
  printf '%s\\n' "$PASSWORD" | securetoken login --url https://api.example.com admin
`,
  options: {
    url: { type: 'string' },
    'token-field': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw usageError(this, 'expected one USER argument');
    const username = positionals[0] as string;
    const rawUrl = values.url ?? io.env.SECURETOKEN_URL;
    if (!rawUrl) throw usageError(this, '--url is required');
    const url = parseServerUrl(rawUrl);
    if (isCleartextRemote(url)) io.stderr.write(`securetoken: warning: sending a password to ${url.host} over plain http\n`);
    const password = await readSecret(io, `Password for ${username}: `);
    if (password.length === 0) throw new CliError('no password given');
    const response = await callServer(url, '/api/login', { method: 'POST', json: { username, password } });
    if (response.status < 200 || response.status > 299) throw serverError('login failed', response, { tokenCodes: false });
    const token = findToken(response.body, values['token-field']);
    const expiresIn = pick(response.body, 'expires_in');
    const session: Session = {
      url: url.href,
      username,
      token,
      savedAt: new Date().toISOString(),
      ...(typeof expiresIn === 'number' &&
        Number.isFinite(expiresIn) && { expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() }),
    };
    const path = sessionPath(io.env);
    await writeSession(path, configDir(io.env), session);
    io.stdout.write(`Logged in to ${url.origin} as ${username}\n`);
    return EXIT_CODES.ok;
  },
});

export const status: Command = defineCommand({
  name: 'status',
  summary: 'show who the stored token belongs to, asking the server',
  help: `Usage: securetoken status [--json]

Calls GET URL/api/profile with the token stored by \`securetoken login\` and prints the profile.

Options:
  --json      print the server's profile as JSON (keys naming a token, password or secret left out)
  -h, --help  show this help

Exit codes: 0 logged in, 1 not logged in, 2 token refused as invalid, 3 expired, 4 revoked,
6 server unreachable or failing.
`,
  options: {
    json: { type: 'boolean', default: false },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw usageError(this, `unexpected argument ${positionals[0]}`);
    const session = await requireSession(io);
    const url = parseServerUrl(session.url);
    const response = await callServer(url, '/api/profile', { method: 'GET', token: session.token });
    if (response.status < 200 || response.status > 299) {
      const error = serverError(`${url.origin} refused the stored token`, response);
      throw response.status === 401 ? new CliError(`${error.message}; run securetoken login`, error.exitCode) : error;
    }
    if (values.json) {
      io.stdout.write(`${JSON.stringify(withoutSecrets(response.body), null, 2)}\n`);
      return EXIT_CODES.ok;
    }
    io.stdout.write(`Logged in to ${url.origin} as ${session.username}\n`);
    const profile = pick(response.body, 'user') ?? response.body;
    if (typeof profile === 'object' && profile !== null && !Array.isArray(profile)) {
      const rows = Object.entries(profile)
        .filter(([key]) => !SECRET_KEY.test(key))
        .map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : JSON.stringify(value)] as const);
      if (rows.length > 0) io.stdout.write(table(rows));
    }
    return EXIT_CODES.ok;
  },
});

export const logout: Command = defineCommand({
  name: 'logout',
  summary: 'revoke the stored token on the server and forget it',
  help: `Usage: securetoken logout

Calls POST URL/api/logout with the stored token (the server revokes it), then deletes the
session file. A token the server already refuses (expired, revoked) is simply forgotten. When the
server cannot be reached the file is kept, so you can retry.

Options:
  -h, --help  show this help
`,
  options: {},
  async run({ positionals }, io) {
    if (positionals.length > 0) throw usageError(this, `unexpected argument ${positionals[0]}`);
    const path = sessionPath(io.env);
    const session = await readSession(path);
    if (!session) {
      io.stdout.write('Not logged in\n');
      return EXIT_CODES.ok;
    }
    const url = parseServerUrl(session.url);
    const response = await callServer(url, '/api/logout', { method: 'POST', token: session.token });
    if (response.status === 401) {
      await deleteSession(path);
      io.stdout.write(`Logged out of ${url.origin} (the server had already ended this session)\n`);
      return EXIT_CODES.ok;
    }
    if (response.status < 200 || response.status > 299) {
      const error = serverError('logout failed', response, { fallbackExit: EXIT_CODES.unavailable });
      throw new CliError(`${error.message}; the session is kept in ${path}`, error.exitCode);
    }
    await deleteSession(path);
    io.stdout.write(`Logged out of ${url.origin}\n`);
    return EXIT_CODES.ok;
  },
});

async function requireSession(io: CliIO): Promise<Session> {
  const session = await readSession(sessionPath(io.env));
  if (!session) throw new CliError('not logged in; run securetoken login --url URL USER');
  return session;
}

/** `value` without the keys {@link SECRET_KEY} matches, at any depth. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, item]) => [key, withoutSecrets(item)]),
  );
}

function pick(body: unknown, path: string): unknown {
  let value = body;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The token in a login response, at `field` or the first usual name. It must be printable ASCII
 * without spaces, or it could not travel in an Authorization header.
 */
function findToken(body: unknown, field: string | undefined): string {
  const fields = field ? [field] : TOKEN_FIELDS;
  for (const name of fields) {
    const value = pick(body, name);
    if (typeof value === 'string' && /^[\x21-\x7e]+$/.test(value)) return value;
  }
  throw new CliError(
    `login response carries no token in ${fields.join(', ')}${field ? '' : '; name its field with --token-field'}`,
  );
}
