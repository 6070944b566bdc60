import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateSalt, generateSecretKey, SecureTokenManager } from '@securetoken/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run, type CliIO } from '../src/index';
import { startDemoServer, type DemoServer } from './demo-server';
import { tempDir } from './run-cli';

// The terminal path of the password prompt, through the programmatic entry with a stdin that
// says it is a TTY (a subprocess would need a pseudo-terminal).
const manager = new SecureTokenManager({ secretKey: generateSecretKey(), salt: generateSalt() });
let server: DemoServer;
let home: ReturnType<typeof tempDir>;

beforeAll(async () => {
  server = await startDemoServer(manager);
  home = tempDir();
});
afterAll(async () => {
  await server.close();
  home.remove();
});

function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
  const collect = () => {
    const stream = new PassThrough();
    let text = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    return { stream, text: () => text };
  };
  const stdout = collect();
  const stderr = collect();
  const io: CliIO = { stdin, stdout: stdout.stream, stderr: stderr.stream, env: { XDG_CONFIG_HOME: home.path } };
  return { io, stdin, stdout, stderr };
}

describe('password prompt on a terminal', () => {
  it('reads keystrokes in raw mode without echoing them, honouring backspace', async () => {
    const { io, stdin, stdout, stderr } = terminal();
    const done = run(['login', '--url', server.url, 'admin'], io);
    stdin.write('ad\u007fdmin12');
    stdin.write('3\r');
    expect(await done).toBe(0);
    expect(server.logins.at(-1)).toEqual({ username: 'admin', password: 'admin123' });
    expect(stderr.text()).toBe('Password for admin: \n');
    expect(stdout.text()).toBe(`Logged in to ${server.url} as admin\n`);
    expect(stdin.setRawMode.mock.calls).toEqual([[true], [false]]);
    const session = JSON.parse(readFileSync(join(home.path, 'securetoken', 'session.json'), 'utf8')) as { token: string };
    expect((await manager.verify(session.token)).userId).toBe('admin');
  });

  it('exits 130 on Ctrl-C, restoring the terminal and sending nothing', async () => {
    const { io, stdin, stderr } = terminal();
    const before = server.logins.length;
    const done = run(['login', '--url', server.url, 'admin'], io);
    stdin.write('secr\u0003');
    expect(await done).toBe(130);
    expect(stderr.text()).toBe('Password for admin: \nsecuretoken: cancelled\n');
    expect(stdin.setRawMode.mock.calls).toEqual([[true], [false]]);
    expect(server.logins).toHaveLength(before);
  });
});
