import { describe, expect, it } from 'vitest';
import { ansiSegments, stripAnsi } from '../../renderer/src/logs/ansi';
import { findRanges, splitByRanges } from '../../renderer/src/logs/search';
import { SERVICE_COLOUR_SLOTS, serviceColourSlot } from '../../renderer/src/logs/service-colour';

const ESC = '\u001b';

describe('ansiSegments', () => {
  it('turns SGR codes into classed segments', () => {
    expect(ansiSegments(`${ESC}[31mred${ESC}[0m plain ${ESC}[1;32mbold green${ESC}[0m`)).toEqual([
      { text: 'red', className: 'ansi-red-fg' },
      { text: ' plain ' },
      { text: 'bold green', className: 'ansi-green-fg ansi-bold' },
    ]);
  });

  it('maps 256-colour and truecolor codes to inline colours, base 16 to classes', () => {
    const [a, b, c] = ansiSegments(`${ESC}[38;5;208mA${ESC}[38;5;9mB${ESC}[38;2;10;20;30mC`);
    expect(a).toEqual({ text: 'A', color: 'rgb(255, 135, 0)' });
    expect(b).toEqual({ text: 'B', className: 'ansi-bright-red-fg' });
    expect(c).toEqual({ text: 'C', color: 'rgb(10, 20, 30)' });
  });

  it('returns plain text untouched and strips non-colour escapes', () => {
    expect(ansiSegments('no codes <b>here</b>')).toEqual([{ text: 'no codes <b>here</b>' }]);
    expect(stripAnsi(`${ESC}[2K${ESC}[1Gdone ${ESC}]0;title\u0007ok`)).toBe('done ok');
  });
});

describe('stripAnsi', () => {
  // The reference: what it removes, as one expression (CSI, OSC, two-character escapes, in that order).
  const BEL = '\u0007';
  const PATTERN = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)|${ESC}[@-Z\\\\-_]`, 'g');

  it('removes exactly what the reference expression removes, for any mix of escapes and text', () => {
    const alphabet = [ESC, ESC, ESC, '[', '[', ']', '\\', BEL, '0', '3', ';', '?', 'm', 'K', ' ', '/', '@', '~', 'Z', '_', '^', 'a', 'é', '\r'];
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 48271) % 2147483647), seed % n);
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let k = rand(24); k > 0; k--) text += alphabet[rand(alphabet.length)];
      expect(stripAnsi(text), JSON.stringify(text)).toBe(text.replace(PATTERN, ''));
    }
  });

  it('gives back the very string when there is no escape', () => {
    const text = 'plain text, no escapes';
    expect(stripAnsi(text)).toBe(text);
    expect(stripAnsi(`${ESC}[32mok${ESC}[0m done`)).toBe('ok done');
  });
});

describe('search helpers', () => {
  it('finds case-insensitive ranges and splits styled segments at their edges', () => {
    const segs = [{ text: 'Error: ' }, { text: 'disk error', className: 'ansi-red-fg' }];
    const ranges = findRanges('Error: disk error', 'error');
    expect(ranges).toEqual([[0, 5], [12, 17]]);
    expect(splitByRanges(segs, ranges).map((p) => [p.text, p.match, p.className])).toEqual([
      ['Error', true, undefined],
      [': ', false, undefined],
      ['disk ', false, 'ansi-red-fg'],
      ['error', true, 'ansi-red-fg'],
    ]);
  });

  it('gives each service a stable colour slot, spread evenly over the palette', () => {
    expect(serviceColourSlot('api')).toBe(serviceColourSlot('api'));
    const counts = new Array<number>(SERVICE_COLOUR_SLOTS).fill(0);
    for (let i = 0; i < 1200; i++) counts[serviceColourSlot(`svc-${i}`)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(140);
  });
});
