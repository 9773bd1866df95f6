// The batch formatter of `hearth up` and `hearth logs` prints exactly what formatting each line on its
// own prints, for any mix of services, streams, times, cut lines, escapes and widths.
import { describe, expect, it } from 'vitest';
import { makePalette } from '../../electron/cli/color';
import { formatLogLine } from '../../electron/cli/format';
import { LogBlockFormatter } from '../../electron/cli/log-block';
import type { LogLine, LogStream } from '../../shared/types';

const TEXTS = [
  'GET /api/items 200 3ms',
  '',
  '\x1b[32mok\x1b[0m coloured',
  'progress 10%\rprogress 90%',
  'tab\there',
  'bell\x07 and \x1b]0;title\x07 osc',
  'ünïcödé ✓ 🔥',
  'a clear screen \x1b[2J here',
  'ok: user=admin\u202e nimda=resu',
];
const SERVICES = ['api', 'web', 'a-much-longer-service-name-than-width', 'db'];
const STREAMS: LogStream[] = ['stdout', 'stdout', 'stdout', 'stderr', 'system'];

function randomLines(seed: number, n: number): LogLine[] {
  let s = seed;
  const rand = (k: number) => ((s = (s * 48271) % 2147483647), s % k);
  const lines: LogLine[] = [];
  let ts = 1_764_000_000_000;
  for (let i = 0; i < n; ) {
    // Runs, as output chunks come: one service, stream and time for a few lines.
    const service = SERVICES[rand(SERVICES.length)]!;
    const stream = STREAMS[rand(STREAMS.length)]!;
    ts += rand(3);
    for (let k = 1 + rand(6); k > 0 && i < n; k--, i++) {
      const line: LogLine = { seq: i + 1, service, run: 1, ts, stream, text: `${i} ${TEXTS[rand(TEXTS.length)]}` };
      if (rand(20) === 0) line.truncated = true;
      lines.push(line);
    }
  }
  return lines;
}

describe('LogBlockFormatter', () => {
  for (const colours of [false, true]) {
    for (const timestamps of [false, true]) {
      it(`formats a batch as formatLogLine formats each line (colours ${colours}, timestamps ${timestamps})`, () => {
        const palette = makePalette(colours);
        const blocks = new LogBlockFormatter(palette, timestamps);
        for (let seed = 1; seed <= 40; seed++) {
          const lines = randomLines(seed, 1 + (seed % 7) * 30);
          const width = 6 + (seed % 5) * 4; // also changes between batches: prefixes must follow
          const expected = lines.map((l) => `${formatLogLine(l, width, palette, timestamps)}\n`).join('');
          expect(blocks.format(lines, width), `seed ${seed}`).toBe(expected);
        }
      });
    }
  }

  it('gives nothing for no lines', () => {
    expect(new LogBlockFormatter(makePalette(false)).format([], 8)).toBe('');
  });
});
