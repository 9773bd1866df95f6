// Times of day as people read them, in local time. Shared by the renderer's log rows and health
// tooltips and the CLI (`--timestamps`, snooze ends), so a time reads the same everywhere.

/** `09:05:07` */
export function formatClock(ts: number): string {
  const d = new Date(ts);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `09:05:07.042` */
export function formatClockMs(ts: number): string {
  return `${formatClock(ts)}.${String(new Date(ts).getMilliseconds()).padStart(3, '0')}`;
}
