// Idle / cold-start workload: the smallest useful HTTP service, answering GET /health with "ok".
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write(`usage: http-server PORT (got ${process.argv[2]})\n`);
  process.exit(2);
}
createServer((req, res) => {
  const body = req.url === '/health' ? 'ok' : 'hello';
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1', () => process.stdout.write(`listening on 127.0.0.1:${port}\n`));
