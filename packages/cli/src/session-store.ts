import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError } from './exit-codes';

/** What `login` keeps between runs. */
export interface Session {
  readonly url: string;
  readonly username: string;
  readonly token: string;
  readonly savedAt: string;
  /** From the login response's `expires_in`, when it sent one. */
  readonly expiresAt?: string;
}

/**
 * `$XDG_CONFIG_HOME/securetoken` (an absolute path, per the XDG spec), else
 * `%APPDATA%\securetoken` on Windows, else `~/.config/securetoken`.
 */
export function configDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'securetoken');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'securetoken');
  return join(homedir(), '.config', 'securetoken');
}

/** The session file's path. */
export function sessionPath(env: Readonly<Record<string, string | undefined>>): string {
  return join(configDir(env), 'session.json');
}

/** The stored session, or null when there is none. */
export async function readSession(path: string): Promise<Session | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let session: Partial<Session>;
  try {
    session = JSON.parse(text) as Partial<Session>;
  } catch {
    throw new CliError(`${path} is corrupt; delete it and log in again`);
  }
  if (typeof session.url !== 'string' || typeof session.token !== 'string' || typeof session.username !== 'string') {
    throw new CliError(`${path} is corrupt; delete it and log in again`);
  }
  return session as Session;
}

/**
 * Writes the session readable by its owner only: a 0600 file in a 0700 directory, written to a
 * temporary name and renamed, so no other user can ever read a partial or looser copy.
 */
export async function writeSession(path: string, dir: string, session: Session): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const temporary = join(dir, `.session-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unwritable'})`);
  }
}

/** Deletes the session file, if any. */
export async function deleteSession(path: string): Promise<void> {
  await rm(path, { force: true });
}
