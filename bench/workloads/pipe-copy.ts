// Reference for the log-ingestion figure: the least a Node supervisor can do with a child's output.
// Spawns argv with stdout on a pipe and streams it unchanged into a file (no lines, no timestamps),
// exiting once the file has everything. Whatever a Node supervisor adds costs time on top of this.
// Like the supervisors, it is timed from a started process: it says "ready" on stdout, then waits
// for a line on stdin before spawning. Usage: node pipe-copy.mjs OUT_FILE PROGRAM [ARGS...]
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

const [out, program, ...args] = process.argv.slice(2);
if (!out || !program) {
  process.stderr.write('usage: pipe-copy OUT_FILE PROGRAM [ARGS...]\n');
  process.exit(2);
}
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'inherit'] });
await pipeline(child.stdout!, createWriteStream(out));
