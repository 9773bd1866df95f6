// Example API: answers /health with "ok" and /items with JSON. Logs each request in colour.
import { createServer } from 'node:http';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || process.env.PORT);
let requests = 0;
const server = createServer((req, res) => {
  requests += 1;
  if (req.url === '/health') {
    res.end('ok');
    return;
  }
  console.log(`\x1b[32mGET\x1b[0m ${req.url} \x1b[2m(#${requests})\x1b[0m`);
  if (req.url === '/items') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify([{ id: 1, name: 'kettle' }, { id: 2, name: 'teapot' }]));
    return;
  }
  res.statusCode = 404;
  res.end('not found');
});
server.listen(port, '127.0.0.1', () => console.log(`api listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => {
  console.log('api: SIGTERM, closing');
  server.close(() => process.exit(0));
});
