// Example worker: polls the API every second and logs in colour; warnings go to stderr.
// It reads commands from its stdin (`hearth attach worker`, or the stdin line under its logs in the UI):
// `pause` stops the polling and leaves a prompt waiting, `resume` goes on.
const api = process.env.API_URL;
let n = 0;
let paused = false;
setInterval(async () => {
  if (paused) return;
  n += 1;
  try {
    const res = await fetch(`${api}/items`, { signal: AbortSignal.timeout(800) });
    const items = await res.json();
    console.log(`\x1b[36mworker\x1b[0m tick ${n}: ${items.length} items`);
  } catch (err) {
    console.error(`\x1b[33mwarn\x1b[0m tick ${n}: api not reachable (${err.message})`);
  }
}, 1000);

let typed = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  typed += chunk;
  for (let nl = typed.indexOf('\n'); nl >= 0; nl = typed.indexOf('\n')) {
    command(typed.slice(0, nl).trim());
    typed = typed.slice(nl + 1);
  }
});

function command(word) {
  if (word === 'pause') paused = true;
  else if (word === 'resume') paused = false;
  else if (word !== '') console.log(`unknown command "${word}"; commands: pause, resume`);
  if (word === 'resume') console.log('resumed');
  // A prompt without a newline, as a REPL leaves one: the rest of its line is what comes next.
  if (paused) process.stdout.write(`paused after tick ${n}; type resume> `);
}

process.on('SIGTERM', () => process.exit(0));
