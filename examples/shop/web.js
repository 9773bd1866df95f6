// Example web front end: finds the API through API_URL (a port Hearth discovered for it) and is
// healthy only while the API answers. Supports Aurora's /quitquitquit graceful shutdown.
import { createServer } from 'node:http';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || process.env.PORT);
const api = process.env.API_URL;

async function apiItems() {
  const res = await fetch(`${api}/items`, { signal: AbortSignal.timeout(800) });
  return res.json();
}

const server = createServer(async (req, res) => {
  if (req.url === '/health') {
    try {
      await apiItems();
      res.end('ok');
    } catch {
      res.statusCode = 503;
      res.end('api unreachable');
    }
    return;
  }
  if (req.method === 'POST' && (req.url === '/quitquitquit' || req.url === '/abortabortabort')) {
    console.log(`web: ${req.url}, shutting down`);
    res.end('bye');
    server.close(() => process.exit(0));
    return;
  }
  try {
    const items = await apiItems();
    res.setHeader('content-type', 'text/html');
    res.end(`<h1>Shop</h1><ul>${items.map((i) => `<li>${i.name}</li>`).join('')}</ul>`);
  } catch (err) {
    console.error(`web: api error: ${err.message}`);
    res.statusCode = 502;
    res.end('api unavailable');
  }
});
server.listen(port, '127.0.0.1', () => console.log(`web listening on http://127.0.0.1:${port} (api at ${api})`));
