import type { Readable, Writable } from 'node:stream';

/**
 * Where a command reads and writes; the process's own streams and environment by default.
 * @example
 * const code = await run(['keygen', '--format', 'json'], { stdin, stdout, stderr, env: {} });
 */
export interface CliIO {
  readonly stdin: Readable & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The running process's streams and environment. */
export function processIO(): CliIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}
