import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const coreEntry = fileURLToPath(new URL('../../core/dist/index.mjs', import.meta.url));

/**
 * The tests run the built binary, so build it first (and core's dist, which the binary imports,
 * when this package is tested on its own from a clean checkout).
 */
export default function setup(): void {
  const build = (args: string[]) => execFileSync('pnpm', args, { cwd: cliDir, stdio: 'pipe' });
  if (!existsSync(coreEntry)) build(['--filter', '@securetoken/core', 'run', 'build']);
  build(['run', 'build']);
}
