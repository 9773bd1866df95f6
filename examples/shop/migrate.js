// Example job: a migration with a \r progress bar, then exit 0 (FINISHED).
const steps = 10;
let i = 0;
const timer = setInterval(() => {
  i += 1;
  process.stdout.write(`\rmigrating [${'#'.repeat(i)}${' '.repeat(steps - i)}] ${i * 10}%`);
  if (i === steps) {
    clearInterval(timer);
    process.stdout.write('\n\x1b[1;32mmigrations applied\x1b[0m\n');
  }
}, 100);
