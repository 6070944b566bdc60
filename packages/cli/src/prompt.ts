import { createInterface } from 'node:readline';
import { CliError } from './exit-codes';
import type { CliIO } from './io';

/**
 * Asks for a secret without echoing it. On a terminal it prompts on stderr in raw mode; otherwise
 * it reads the first line of stdin, so scripts and tests can pipe the password in.
 * @throws CliError when input ends before a line, or exit 130 on Ctrl-C.
 */
export async function readSecret(io: CliIO, prompt: string): Promise<string> {
  return io.stdin.isTTY && typeof io.stdin.setRawMode === 'function' ? promptHidden(io, prompt) : readFirstLine(io);
}

async function readFirstLine(io: CliIO): Promise<string> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
  } finally {
    lines.close();
  }
  return '';
}

function promptHidden(io: CliIO, prompt: string): Promise<string> {
  const { stdin } = io;
  io.stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new CliError('cancelled', 130));
          return;
        }
        if (char === '\u007f' || char === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** All of stdin as text, trimmed (`inspect -`). */
export async function readAll(io: CliIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').trim();
}
