// Holds listening sockets open in a separate process for the port-allocation figure, on a mix of
// 127.0.0.1, 0.0.0.0, ::1 and :: so that only a check of both address families avoids them all.
// argv[2]: JSON [{port, host}]. Prints "ready" once every socket listens; exits when stdin closes.
import { createServer } from 'node:net';

const wanted = JSON.parse(process.argv[2] ?? '[]') as Array<{ port: number; host: string }>;
let pending = wanted.length;
const failed: Array<{ port: number; host: string; error: string }> = [];
const done = (): void => {
  if (--pending === 0) process.stdout.write(`ready ${JSON.stringify({ failed })}\n`);
};
for (const { port, host } of wanted) {
  const server = createServer();
  server.once('error', (error) => {
    failed.push({ port, host, error: error.message });
    done();
  });
  server.listen({ port, host, ipv6Only: host === '::' ? false : undefined }, done);
}
if (wanted.length === 0) process.stdout.write('ready {"failed":[]}\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
