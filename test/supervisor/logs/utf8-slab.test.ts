import { describe, expect, it } from 'vitest';
import { Utf8Slab } from '../../../electron/supervisor/logs/utf8-slab';

describe('Utf8Slab', () => {
  it('encodes exactly as Buffer.from, multibyte characters included', () => {
    const slab = new Utf8Slab(256);
    for (const text of ['plain', 'héllo wörld', '🔥🚀 日本語', '', 'a\ufffdb', 'x'.repeat(60)]) {
      expect(slab.encode(text).equals(Buffer.from(text)), text).toBe(true);
    }
  });

  it('never lets a later string overwrite an earlier view, across slab changes', () => {
    const slab = new Utf8Slab(64);
    const texts = Array.from({ length: 200 }, (_, i) => `${i} ${'é'.repeat(i % 5)}`);
    const views = texts.map((t) => slab.encode(t));
    expect(views.map((v) => v.toString('utf8'))).toEqual(texts);
  });

  it('hands out consecutive views of one slab while strings fit, and a separate buffer for large strings', () => {
    const slab = new Utf8Slab(1024);
    const a = slab.encode('first');
    const b = slab.encode('second');
    expect(b.buffer).toBe(a.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + a.length);
    const big = slab.encode('y'.repeat(400));
    expect(big.toString()).toBe('y'.repeat(400));
    const c = slab.encode('third');
    expect(c.byteOffset).toBe(b.byteOffset + b.length); // the large string took no room in the slab
  });
});
