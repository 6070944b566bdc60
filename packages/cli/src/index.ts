export { run } from './cli';
export { CliError, EXIT_CODES } from './exit-codes';
export type { ExitCode } from './exit-codes';
export type { CliIO } from './io';
