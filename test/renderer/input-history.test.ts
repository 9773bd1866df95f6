// The stdin line's ↑/↓ recall, pure.
import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, INPUT_HISTORY, recall, remember } from '../../renderer/src/model/input-history';

describe('input history', () => {
  it('recalls the lines sent, newest first, back to a fresh line, and never past either end', () => {
    let h = ['p x', 'n', 'c'].reduce(remember, EMPTY_HISTORY);
    const texts: string[] = [];
    for (const step of [1, 1, 1, 1, -1, -1, -1, -1] as const) {
      const r = recall(h, step);
      h = r.history;
      texts.push(r.text);
    }
    expect(texts).toEqual(['c', 'n', 'p x', 'p x', 'n', 'c', '', '']);
  });

  it('keeps a line once (as the newest), skips empty ones, starts recall over after a send, and is bounded', () => {
    let h = ['a', 'b', 'a', ''].reduce(remember, EMPTY_HISTORY);
    expect(h.lines).toEqual(['b', 'a']);
    h = recall(h, 1).history;
    expect(remember(h, 'c').back).toBe(0);
    h = Array.from({ length: INPUT_HISTORY + 10 }, (_, i) => `l${i}`).reduce(remember, EMPTY_HISTORY);
    expect(h.lines).toHaveLength(INPUT_HISTORY);
    expect(h.lines.at(-1)).toBe(`l${INPUT_HISTORY + 9}`);
  });
});
