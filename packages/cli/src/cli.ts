import { isSecureTokenError } from '@securetoken/core';
import { parseCommandArgs, type Command } from './command';
import { keygen } from './commands/keygen';
import { inspect } from './commands/inspect';
import { issue } from './commands/issue';
import { login, logout, status } from './commands/session';
import { verify } from './commands/verify';
import { CliError, EXIT_CODES, exitCodeOf } from './exit-codes';
import { processIO, type CliIO } from './io';

const COMMANDS: readonly Command[] = [keygen, issue, inspect, verify, login, status, logout];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: securetoken <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run securetoken <command> --help for a command's options.

Exit codes: 0 ok, 1 usage or other error, 2 invalid token, 3 expired, 4 revoked,
5 permission missing, 6 server unreachable.
`;
}

/**
 * Runs the `securetoken` command with `argv` (without `node` and the script) and resolves to its
 * exit code. Every failure is one `securetoken: <message>` line on stderr, never a stack trace.
 * @example
 * process.exitCode = await run(process.argv.slice(2));
 */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      // A usage error: the help goes where errors go, so `securetoken > out` shows it.
      io.stderr.write(mainHelp());
      return EXIT_CODES.error;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(mainHelp());
      return EXIT_CODES.ok;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) throw new CliError(`unknown command ${name.slice(0, 40)} (see securetoken --help)`);
    const args = parseCommandArgs(command, rest);
    if (args === 'help') {
      io.stdout.write(command.help);
      return EXIT_CODES.ok;
    }
    return await command.run(args, io);
  } catch (error) {
    io.stderr.write(`securetoken: ${describe(error)}\n`);
    return exitCodeOf(error);
  }
}

function describe(error: unknown): string {
  const message =
    error instanceof CliError || isSecureTokenError(error)
      ? error.message
      : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return message.replace(/\s+/g, ' ').trim();
}
