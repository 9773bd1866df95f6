// A row's time of day, as shown (09:05:07) and on hover (09:05:07.042). The lines of one output chunk
// share their time, and a screenful comes from a few chunks: formatting once per time rather than
// once per row saves two Dates and six paddings for nearly every row of a follow step.
import { formatClock, formatClockMs } from '../../../shared/format-clock';

let lastTs = Number.NaN;
let last = { short: '', long: '' };

export function rowClock(ts: number): { short: string; long: string } {
  if (ts !== lastTs) {
    lastTs = ts;
    last = { short: formatClock(ts), long: formatClockMs(ts) };
  }
  return last;
}
