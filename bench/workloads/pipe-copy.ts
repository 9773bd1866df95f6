// Reference for the log-ingestion figure: the least a Node supervisor can do with a child's output.
// Spawns argv with stdout on a pipe and writes each chunk unchanged into a file (no lines, no
// timestamps), exiting once the file has everything. Whatever a Node supervisor adds costs time on
// top of this. Each chunk is written with writeSync as it arrives: stream.pipeline() into a
// createWriteStream was measured ~25% slower here (a thread-pool round trip per 64 kB chunk), so it
// would not be the least. Like the supervisors, it is timed from a started process: it says "ready"
// on stdout, then waits for a line on stdin before spawning. Usage: node pipe-copy.mjs OUT_FILE PROGRAM [ARGS...]
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';

const [out, program, ...args] = process.argv.slice(2);
if (!out || !program) {
  process.stderr.write('usage: pipe-copy OUT_FILE PROGRAM [ARGS...]\n');
  process.exit(2);
}
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
const fd = openSync(out, 'w');
const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout!.on('data', (chunk: Buffer) => {
  for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
});
await new Promise((resolve) => child.stdout!.once('end', resolve));
closeSync(fd);
