import { describe, expect, it } from 'vitest';
import { bidiMark, hasBidiControls, showBidiControls, splitBidi } from '../../shared/bidi';

// "user=admin" followed by an override: a terminal or browser shows the rest reversed.
const TROJAN = 'ok: user=guest\u202E nimda=resu\u202C done';

describe('bidi controls', () => {
  it('finds every embedding, override, isolate and mark, and nothing else', () => {
    for (const c of ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(hasBidiControls(`a${c}b`), bidiMark(c)).toBe(true);
    }
    // Right-to-left text itself, zero-width joiners and ordinary Unicode are left alone.
    for (const text of ['שלום', 'مرحبا', 'a\u200Db', 'é ✓ 🔥', '']) expect(hasBidiControls(text), text).toBe(false);
  });

  it('names the control in its mark', () => {
    expect(bidiMark('\u202E')).toBe('U+202E RLO');
    expect(bidiMark('\u2066')).toBe('U+2066 LRI');
    expect(bidiMark('\u061C')).toBe('U+061C ALM');
  });

  it('splits a line so each control is a visible part of its own', () => {
    expect(splitBidi(TROJAN)).toEqual([
      { text: 'ok: user=guest', control: false },
      { text: '⟨U+202E RLO⟩', control: true, char: '\u202E' },
      { text: ' nimda=resu', control: false },
      { text: '⟨U+202C PDF⟩', control: true, char: '\u202C' },
      { text: ' done', control: false },
    ]);
    expect(splitBidi('\u202E\u202E')).toEqual([
      { text: '⟨U+202E RLO⟩', control: true, char: '\u202E' },
      { text: '⟨U+202E RLO⟩', control: true, char: '\u202E' },
    ]);
    expect(splitBidi('plain')).toEqual([{ text: 'plain', control: false }]);
  });

  it('gives the CLI an ASCII form with no control left in it', () => {
    const shown = showBidiControls(TROJAN);
    expect(shown).toBe('ok: user=guest<U+202E RLO> nimda=resu<U+202C PDF> done');
    expect(hasBidiControls(shown)).toBe(false);
    const plain = 'no controls';
    expect(showBidiControls(plain)).toBe(plain);
  });
});
