import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { binBuild } from '../tsup.config';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(cliDir, 'dist', 'bin.mjs');
const coreEntry = fileURLToPath(new URL('../../core/dist/index.mjs', import.meta.url));

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
}

/**
 * The tests run the built binary. Build it when it is missing or older than the sources (turbo
 * builds it first; `pnpm --filter @securetoken/cli test` from a clean checkout does not), and
 * build core's dist, which the binary imports, when it is missing.
 */
export default async function setup(): Promise<void> {
  if (!existsSync(coreEntry)) execFileSync('pnpm', ['--filter', '@securetoken/core', 'run', 'build'], { cwd: cliDir, stdio: 'pipe' });
  if (existsSync(bin) && statSync(bin).mtimeMs >= newestSource(join(cliDir, 'src'))) return;
  const cwd = process.cwd();
  process.chdir(cliDir);
  try {
    await build({ ...binBuild, config: false, silent: true });
  } finally {
    process.chdir(cwd);
  }
}
