import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../dist/bin.mjs', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built `securetoken` binary. Asynchronous on purpose: the tests' HTTP server lives in
 * this process and must keep answering while the child runs.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; nodeArgs?: readonly string[] } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh directory, removed by the returned function. */
export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'securetoken-cli-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Asserts the shape every failure must have: one `securetoken: ` line, no stack trace. */
export function isOneLineError(stderr: string): boolean {
  return /^securetoken: [^\n]+\n$/.test(stderr) && !/\n\s+at /.test(stderr);
}
