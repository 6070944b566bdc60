#!/usr/bin/env node
import { run } from './cli';

const code = await run(process.argv.slice(2));
// Exit explicitly: a half-read stdin pipe must not keep the process waiting. Flush first, since
// writes to a pipe may still be queued.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
