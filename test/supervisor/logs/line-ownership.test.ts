// Every line the splitter returns owns its text: keeping one line must not keep the 64 kB chunk it
// came in (a V8 slice of the chunk's decoded text would), nor the long text a cut line was cut from,
// nor (for the unfinished line) the chunk's Buffer. Measured on the real heap after forced GCs.
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../electron/supervisor/logs/line-splitter';
import { retainedBy } from '../../helpers/retained';

const KB = 1024;
const CHUNKS = 200;

/** A 64 kB chunk of ~100-byte lines, each line unique (`tag` and its index). */
function chunkOf(tag: number, lineText = 'the quick brown fox jumps over the lazy dog 0123456789 and on'): Buffer {
  let text = '';
  for (let i = 0; text.length < 64 * KB - 200; i++) text += `${tag}:${i} ${lineText}\n`;
  return Buffer.from(text, 'utf8');
}

describe('LineSplitter: each line owns its bytes', () => {
  it('one kept line of each 64 kB chunk keeps ~its own size, not the chunk (ASCII and UTF-8)', () => {
    for (const text of ['plain ascii text of a log line, nothing else', 'ünïcödé text of a log line ✓ 🔥']) {
      const { bytes, kept } = retainedBy(() => {
        const splitter = new LineSplitter(64 * KB);
        const lines: string[] = [];
        for (let c = 0; c < CHUNKS; c++) lines.push(splitter.push(chunkOf(c, text)).texts.at(-1)!);
        return lines;
      });
      expect(kept).toHaveLength(CHUNKS);
      expect(kept[7]).toMatch(new RegExp(`^7:\\d+ ${text}$`));
      // Owned: ~200 B each (40 kB in all). Slices of the chunks' text: 200 x 64 kB = 12.8 MB.
      expect(bytes, text).toBeLessThan(1024 * KB);
    }
  });

  it('a line cut at the cap keeps the cap, not the line it was cut from', () => {
    const { bytes, kept } = retainedBy(() => {
      const splitter = new LineSplitter(KB);
      const out: string[] = [];
      // Long lines, whole in one chunk and arriving over several chunks (the rest is dropped).
      for (let c = 0; c < 50; c++) {
        const long = Buffer.from(`${c} ${'x'.repeat(256 * KB)}\n`);
        out.push(...splitter.push(long).texts);
        for (let at = 0; at < long.length; at += 64 * KB) out.push(...splitter.push(long.subarray(at, at + 64 * KB)).texts);
      }
      return out;
    });
    expect(kept).toHaveLength(100);
    expect(kept.every((t) => t.length === KB)).toBe(true);
    // Owned: 100 x ~1 kB. Slices: 100 x 256 kB = 25 MB.
    expect(bytes).toBeLessThan(2048 * KB);
  });

  it('an unfinished line keeps only its own bytes, not the chunk it came at the end of', () => {
    const { bytes, kept } = retainedBy(() =>
      Array.from({ length: CHUNKS }, (_, c) => {
        const splitter = new LineSplitter(64 * KB);
        splitter.push(Buffer.concat([chunkOf(c), Buffer.from(`step ${c} reached; (Pdb) `)]));
        return splitter;
      }),
    );
    expect(kept[3]!.pending()).toBe('step 3 reached; (Pdb) ');
    // Owned: 200 splitters with a few bytes each. Views: 200 x 64 kB of chunk Buffers = 12.8 MB.
    expect(bytes).toBeLessThan(1024 * KB);
  });
});
