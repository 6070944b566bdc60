#!/usr/bin/env node
import { run } from './cli';

// A reader that goes away (`securetoken keygen | head -1`) must not turn into a stack trace.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => process.exit(1));

const code = await run(process.argv.slice(2));
// Exit explicitly: a half-read stdin pipe must not keep the process waiting. Flush first, since
// writes to a pipe may still be queued.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
