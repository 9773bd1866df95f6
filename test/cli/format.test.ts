import { describe, expect, it } from 'vitest';
import { colourIndex, makePalette, shouldUseColor, visibleLength } from '../../electron/cli/color';
import { formatLogLine, formatSystemLine, formatTable, prefixWidth, sanitizeLogText } from '../../electron/cli/format';
import type { LogLine } from '../../shared/types';

const plain = makePalette(false);
const colour = makePalette(true);
const line = (patch: Partial<LogLine>): LogLine => ({ seq: 1, service: 'api', run: 1, ts: 0, stream: 'stdout', text: 'hello', ...patch });

describe('shouldUseColor', () => {
  it('follows the terminal unless NO_COLOR or FORCE_COLOR say otherwise', () => {
    expect(shouldUseColor(true, {})).toBe(true);
    expect(shouldUseColor(false, {})).toBe(false);
    expect(shouldUseColor(undefined, {})).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: '' })).toBe(true); // no-color.org: empty means unset
    expect(shouldUseColor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldUseColor(true, { FORCE_COLOR: 'false' })).toBe(false);
    expect(shouldUseColor(false, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(true, { TERM: 'dumb' })).toBe(false);
  });
});

describe('service colours', () => {
  it('are stable per name and spread over the palette', () => {
    expect(colourIndex('api')).toBe(colourIndex('api'));
    expect(colour.service('api')('x')).toBe(colour.service('api')('x'));
    const used = new Set(['api', 'db', 'web', 'worker', 'cache', 'queue', 'auth', 'search'].map((n) => colourIndex(n)));
    expect(used.size).toBeGreaterThan(3);
    expect(colour.service('api')('x')).not.toContain('\x1b[31m'); // never red
  });
});

describe('formatTable', () => {
  it('aligns columns by visible width, ignoring colour codes, without trailing spaces', () => {
    const rows = [
      [colour.green('api'), 'RUNNING', '-'],
      ['database', colour.red('FAILED'), ''],
    ];
    const lines = formatTable(['NAME', 'STATE', 'X'], rows);
    // eslint-disable-next-line no-control-regex
    expect(lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual([
      'NAME      STATE    X',
      'api       RUNNING  -',
      'database  FAILED',
    ]);
    expect(visibleLength(lines[1]!)).toBe('api       RUNNING  -'.length);
  });
});

describe('log lines', () => {
  it('pads the service name and marks stderr and supervisor lines', () => {
    const width = prefixWidth(['api', 'database']);
    expect(width).toBe(8);
    expect(formatLogLine(line({}), width, plain)).toBe('api      | hello');
    expect(formatLogLine(line({ stream: 'stderr', text: 'oops' }), width, plain)).toBe('api      ! oops');
    expect(formatLogLine(line({ stream: 'system', text: 'started (pid 4)' }), width, plain)).toBe('hearth   | api: started (pid 4)');
    expect(formatLogLine(line({ truncated: true }), width, plain)).toBe('api      | hello [truncated]');
    expect(formatSystemLine('api is RUNNING', width, plain)).toBe('hearth   | api is RUNNING');
  });

  it('puts the local time of day first with timestamps, for log and supervisor lines alike', () => {
    const at = new Date(2026, 10, 25, 9, 5, 7, 42).getTime(); // local time, whatever the zone
    expect(formatLogLine(line({ ts: at }), 6, plain, true)).toBe('09:05:07.042 api    | hello');
    expect(formatLogLine(line({ ts: at + 1, stream: 'stderr', text: 'oops' }), 6, plain, true)).toBe('09:05:07.043 api    ! oops');
    expect(formatLogLine(line({ ts: at, stream: 'system', text: 'healthy' }), 6, plain, true)).toBe('09:05:07.042 hearth | api: healthy');
    expect(formatSystemLine('stopped', 6, plain, at)).toBe('09:05:07.042 hearth | stopped');
    expect(formatLogLine(line({ ts: at }), 6, colour, true)).toBe(`${colour.dim('09:05:07.042')} ${colour.service('api')('api   ')} | hello`);
    expect(formatLogLine(line({ ts: at }), 6, plain)).toBe('api    | hello');
  });

  it('never pads below "hearth" and caps very long names', () => {
    expect(prefixWidth(['a'])).toBe(6);
    expect(prefixWidth(['x'.repeat(40)])).toBe(24);
  });

  it('colours the name in its own colour and the stderr bar red', () => {
    const out = formatLogLine(line({ stream: 'stderr', text: 'oops' }), 6, colour);
    expect(out).toBe(`${colour.service('api')('api   ')} ${colour.red('|')} oops`);
    expect(formatLogLine(line({}), 6, colour)).toBe(`${colour.service('api')('api   ')} | hello`);
  });
});

describe('sanitizeLogText', () => {
  it('keeps what a terminal would finally show of a carriage-return progress bar', () => {
    expect(sanitizeLogText('10%\r20%\r100%', false)).toBe('100%');
    expect(sanitizeLogText('done\r', false)).toBe('done');
    expect(sanitizeLogText('\r', false)).toBe('');
  });

  it('drops colours without colour output, keeps them (with a reset) with it', () => {
    expect(sanitizeLogText('\x1b[32mGET\x1b[0m /items \x1b[2m(#2)\x1b[0m', false)).toBe('GET /items (#2)');
    expect(sanitizeLogText('\x1b[1;32mok', true)).toBe('\x1b[1;32mok\x1b[0m');
    expect(sanitizeLogText('plain', true)).toBe('plain');
  });

  it('shows bidi controls as their code points instead of letting them reorder the line, coloured or not', () => {
    expect(sanitizeLogText('user=guest\u202E nimda=resu', false)).toBe('user=guest<U+202E RLO> nimda=resu');
    expect(sanitizeLogText('\x1b[31mx\u2067y', true)).toBe('\x1b[31mx<U+2067 RLI>y\x1b[0m');
  });

  it('always removes cursor movement, screen clearing, titles and other control characters', () => {
    expect(sanitizeLogText('a\x1b[2Kb\x1b[1Ac\x1b]0;title\x07d\x07e\x08f\tg', true)).toBe('abcdef\tg');
  });

  it('is applied to log lines', () => {
    expect(formatLogLine(line({ text: '\x1b[31mred\x1b[0m 1%\r2%' }), 6, plain)).toBe('api    | 2%');
  });
});
