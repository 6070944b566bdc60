import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './exit-codes';
import type { CliIO } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** One `securetoken` sub-command. */
export interface Command<O extends Options = Options> {
  readonly name: string;
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  readonly options: O;
  run(args: ParsedArgs<O>, io: CliIO): Promise<number>;
}

/** Parsed options and positionals of a command. */
export interface ParsedArgs<O extends Options> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
  readonly positionals: readonly string[];
}

/**
 * Declares a command, inferring its option types for `run`, and returns it with those types
 * erased so commands with different options fit in one list.
 */
export function defineCommand<O extends Options>(command: Command<O>): Command {
  return command as unknown as Command;
}

/**
 * Parses a command's arguments, `--help` included.
 * @throws CliError (exit 1) for an unknown option or a missing option value.
 */
export function parseCommandArgs<O extends Options>(command: Command<O>, argv: readonly string[]): ParsedArgs<O> | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node:util's messages carry a long hint after the first sentence; keep the one line.
    const message = error instanceof Error ? (error.message.split(/\.\s/)[0] ?? error.message) : String(error);
    throw new CliError(`${message} (see securetoken ${command.name} --help)`);
  }
  if ((parsed.values as { help?: boolean }).help) return 'help';
  return parsed as unknown as ParsedArgs<O>;
}

/** Fails with a usage error that points at the command's help. */
export function usageError(command: { name: string }, message: string): CliError {
  return new CliError(`${message} (see securetoken ${command.name} --help)`);
}

/** Permissions from repeated and comma-separated `--perm` values. */
export function splitPermissions(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((p) => p.trim()).filter((p) => p.length > 0);
}
