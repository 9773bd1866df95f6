// UI-under-load workload: RATE lines per second for SECS seconds (in 10 ms ticks), then stays up quietly.
// With a third argument `on-signal`, it waits quietly for SIGUSR2 before it starts printing: the bench
// starts the services first, so the load it measures is the lines, not ten Node processes starting.
const rate = Number(process.argv[2] ?? 2000);
const secs = Number(process.argv[3] ?? 20);
const onSignal = process.argv[4] === 'on-signal';
const name = process.env.HEARTH_SERVICE ?? 'chatty';
let started = Date.now();
let n = 0;

const print = (): void => {
  // Catch up to where the clock says we should be, so the rate holds even when a tick is late.
  const due = Math.min(Math.floor(((Date.now() - started) / 1000) * rate), rate * secs);
  let out = '';
  while (n < due) {
    out += `${new Date().toISOString()} ${name} INFO request ${n} GET /api/items/${n % 997} 200 ${n % 53}ms \x1b[32mok\x1b[0m\n`;
    n++;
  }
  if (out) process.stdout.write(out);
  if (n >= rate * secs) clearInterval(timer);
};
let timer: ReturnType<typeof setInterval> | undefined;
const begin = (): void => {
  if (timer) return;
  started = Date.now();
  timer = setInterval(print, 10);
};
if (onSignal) process.on('SIGUSR2', begin);
else begin();
setInterval(() => undefined, 1 << 30); // stay up after the burst
