// Example worker: polls the API every second and logs in colour; warnings go to stderr.
const api = process.env.API_URL;
let n = 0;
setInterval(async () => {
  n += 1;
  try {
    const res = await fetch(`${api}/items`, { signal: AbortSignal.timeout(800) });
    const items = await res.json();
    console.log(`\x1b[36mworker\x1b[0m tick ${n}: ${items.length} items`);
  } catch (err) {
    console.error(`\x1b[33mwarn\x1b[0m tick ${n}: api not reachable (${err.message})`);
  }
}, 1000);
process.on('SIGTERM', () => process.exit(0));
