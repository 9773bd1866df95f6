import { describe, expect, it } from 'vitest';
import { isAscii } from 'node:buffer';
import { LineSplitter, type SplitBatch } from '../../../electron/supervisor/logs/line-splitter';

interface SplitLine {
  text: string;
  truncated: boolean;
}
/** One object per line, so the tests read as lines whatever the batching. */
const linesOf = ({ texts, truncated }: SplitBatch): SplitLine[] => texts.map((text, i) => ({ text, truncated: truncated.includes(i) }));
const texts = (lines: SplitLine[]) => lines.map((l) => l.text);
function feed(splitter: LineSplitter, chunks: Buffer[]): SplitLine[] {
  return [...chunks.flatMap((c) => linesOf(splitter.push(c))), ...linesOf(splitter.end())];
}

describe('LineSplitter', () => {
  const sample = 'héllo wörld 🔥🚀 日本語テキスト\nsecond 👩‍👩‍👧 ✓\nthird ∑ 𝄞\n';

  it('never garbles a multibyte character split at any byte offset (two chunks)', () => {
    const bytes = Buffer.from(sample, 'utf8');
    for (let i = 0; i <= bytes.length; i++) {
      const lines = feed(new LineSplitter(1024), [bytes.subarray(0, i), bytes.subarray(i)]);
      expect(texts(lines), `split at byte ${i}`).toEqual(sample.split('\n').slice(0, 3));
    }
  });

  it('never garbles when every byte arrives on its own', () => {
    const bytes = Buffer.from(sample, 'utf8');
    const lines = feed(new LineSplitter(1024), [...bytes].map((b) => Buffer.from([b])));
    expect(texts(lines)).toEqual(sample.split('\n').slice(0, 3));
  });

  it('turns invalid UTF-8 into U+FFFD without throwing', () => {
    const s = new LineSplitter(1024);
    const lines = feed(s, [Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x0a, 0xe6, 0x97]), Buffer.from([0x0a, 0x80, 0x63])]);
    expect(texts(lines)).toEqual(['a\ufffdb\ufffd', '\ufffd', '\ufffdc']);
    // A character cut off by the end of the stream.
    expect(texts(feed(new LineSplitter(10), [Buffer.from([0x78, 0xf0, 0x9f])]))).toEqual(['x\ufffd']);
  });

  it('says a batch is ASCII only when every text in it is', () => {
    const s = new LineSplitter(1024);
    expect(s.push(Buffer.from('plain\nascii\npart'))).toMatchObject({ texts: ['plain', 'ascii'], ascii: true });
    expect(s.push(Buffer.from('ial\nnext\n'))).toMatchObject({ texts: ['partial', 'next'], ascii: true });
    expect(s.push(Buffer.from('one é\ntwo\n'))).toMatchObject({ texts: ['one é', 'two'], ascii: false });
    // An ASCII chunk that completes a line begun with UTF-8 in the chunk before.
    s.push(Buffer.from('wörld starts'));
    expect(s.push(Buffer.from(' and ends\n'))).toMatchObject({ texts: ['wörld starts and ends'], ascii: false });
    expect(s.push(Buffer.from('ascii again\n'))).toMatchObject({ texts: ['ascii again'], ascii: true });
  });

  it('flushes a character left incomplete by one chunk even when the next chunk is ASCII', () => {
    // The decoder holds the first two bytes of a 3-byte character; an ASCII chunk must not bypass it.
    const lines = feed(new LineSplitter(1024), [Buffer.from([0x61, 0xe2, 0x82]), Buffer.from('bc\n')]);
    expect(texts(lines)).toEqual(['a\ufffdbc']);
    // And the character completed by the next chunk (not ASCII, so decoded as before).
    expect(texts(feed(new LineSplitter(1024), [Buffer.from([0x61, 0xe2, 0x82]), Buffer.from([0xac, 0x0a])]))).toEqual(['a€']);
  });

  it('matches a whole-text decode, and flags ASCII truthfully, for any chunking of mixed text', () => {
    const text = Array.from({ length: 300 }, (_, i) => (i % 25 === 3 ? `line ${i} ünïcödé 🔥` : `line ${i} plain ascii`)).join('\n') + '\n';
    const bytes = Buffer.from(text, 'utf8');
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 48271) % 2147483647), seed % n);
    let asciiBatches = 0;
    for (let round = 0; round < 20; round++) {
      const s = new LineSplitter(1024);
      const got: string[] = [];
      for (let at = 0; at < bytes.length; ) {
        const end = Math.min(bytes.length, at + 1 + rand(200));
        const batch = s.push(bytes.subarray(at, end));
        if (batch.ascii) {
          asciiBatches++;
          for (const t of batch.texts) expect(isAscii(Buffer.from(t))).toBe(true);
        }
        got.push(...batch.texts);
        at = end;
      }
      got.push(...s.end().texts);
      expect(got).toEqual(text.split('\n').slice(0, -1));
    }
    // Most batches hold no UTF-8 and should take the fast path (a flag that is never true would pass the rest).
    expect(asciiBatches).toBeGreaterThan(100);
  });

  it('strips the \\r of \\r\\n (even split across chunks) but keeps a bare \\r', () => {
    const s = new LineSplitter(100);
    const lines = feed(s, [Buffer.from('a\r\nprogress 10%\rprogress 90%\r'), Buffer.from('\nlast\r')]);
    expect(texts(lines)).toEqual(['a', 'progress 10%\rprogress 90%', 'last\r']);
  });

  it('emits the final line without a newline only on end(), and keeps empty lines', () => {
    const s = new LineSplitter(100);
    expect(texts(linesOf(s.push(Buffer.from('one\n\nthr'))))).toEqual(['one', '']);
    expect(linesOf(s.push(Buffer.from('ee')))).toEqual([]);
    expect(linesOf(s.end())).toEqual([{ text: 'three', truncated: false }]);
    expect(linesOf(s.end())).toEqual([]);
    // Reusable after end().
    expect(texts(feed(s, [Buffer.from('again\n')]))).toEqual(['again']);
  });

  it('shows the line being assembled as pending, and nothing of a cut line whose rest is being dropped', () => {
    const s = new LineSplitter(12);
    expect(s.pending()).toBe('');
    s.push(Buffer.from('done\n(Pdb'));
    s.push(Buffer.from(') '));
    expect(s.pending()).toBe('(Pdb) ');
    expect(linesOf(s.push(Buffer.from('next\n')))).toEqual([{ text: '(Pdb) next', truncated: false }]);
    expect(s.pending()).toBe('');
    s.push(Buffer.from('0123456789abcdef')); // past the cap: emitted cut, the rest of the line is dropped
    expect(s.pending()).toBe('');
    s.push(Buffer.from('ab\n> '));
    expect(s.pending()).toBe('> ');
  });

  it('cuts an overlong line at the cap on a character boundary and discards the rest of it', () => {
    const s = new LineSplitter(10);
    const lines = feed(s, [Buffer.from('short\n0123456789ABCDEF\n日本語日本語\nok\n')]);
    expect(lines).toEqual([
      { text: 'short', truncated: false },
      { text: '0123456789', truncated: true },
      { text: '日本語', truncated: true }, // 9 bytes: a 4th character would need 12
      { text: 'ok', truncated: false },
    ]);
    // Exactly at the cap is not truncated, in bytes (5 × 2-byte é = 10 bytes).
    expect(feed(new LineSplitter(10), [Buffer.from('ééééé\n')])).toEqual([{ text: 'ééééé', truncated: false }]);
    // An emoji (surrogate pair) is never split.
    expect(feed(new LineSplitter(6), [Buffer.from('ab🔥🔥\n')])).toEqual([{ text: 'ab🔥', truncated: true }]);
  });

  it('emits an overlong line as soon as it passes the cap, before any newline, then resumes after it', () => {
    const s = new LineSplitter(8);
    expect(linesOf(s.push(Buffer.from('abcde')))).toEqual([]);
    expect(linesOf(s.push(Buffer.from('fghij')))).toEqual([{ text: 'abcdefgh', truncated: true }]);
    expect(linesOf(s.push(Buffer.from('more more more')))).toEqual([]);
    expect(texts(linesOf(s.push(Buffer.from('tail\nnext\n'))))).toEqual(['next']);
    expect(linesOf(s.end())).toEqual([]);
  });

  it('handles a 10 MB line with no newline in bounded memory and little time', () => {
    const cap = 64 * 1024;
    const s = new LineSplitter(cap);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const out: SplitLine[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 160; i++) out.push(...linesOf(s.push(chunk))); // 10 MB
    // The splitter holds at most about one cap of text, whatever came in.
    const held = (s as unknown as { partial: string }).partial.length;
    out.push(...linesOf(s.push(Buffer.from('\nafter\n'))), ...linesOf(s.end()));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(held).toBeLessThanOrEqual(cap + 1);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ text: 'x'.repeat(cap), truncated: true });
    expect(out[1]).toEqual({ text: 'after', truncated: false });
  });

  it('splits many short lines quickly', () => {
    const s = new LineSplitter(4096);
    const block = Buffer.from('2024-01-01T00:00:00Z INFO request handled in 12ms path=/api/v1/things\n'.repeat(10_000));
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < 20; i++) n += s.push(block).texts.length;
    expect(n).toBe(200_000);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
