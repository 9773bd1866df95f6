// Scale workload: an HTTP service answering GET /health with "ok" on PORT, which after SIGUSR2 also
// logs RATE lines a second (in 100 ms ticks, as a busy service logs requests). Quiet until then, so one
// stack measures first its health checks alone, then checks and lines.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const rate = Number(process.argv[3] ?? 50);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write(`usage: service PORT [RATE] (got ${process.argv[2]})\n`);
  process.exit(2);
}
createServer((req, res) => {
  const body = req.url === '/health' ? 'ok' : 'hello';
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1');

const perTick = Math.max(1, Math.round(rate / 10));
let n = 0;
process.on('SIGUSR2', () => {
  setInterval(() => {
    let out = '';
    for (let i = 0; i < perTick; i++, n++) out += `${new Date().toISOString()} INFO request ${n} GET /api/items/${n % 997} 200 ${n % 53}ms\n`;
    process.stdout.write(out);
  }, 100);
});
