// The log file encodes lines into reused slabs: a region must never be reused while its bytes are
// waiting to be written, and a file that has written everything holds no slab.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RotatingLogFile, formatLogLines } from '../../../electron/supervisor/logs/log-file';
import { SLAB_BYTES, SlabArena, pooledSlabs } from '../../../electron/supervisor/logs/write-slabs';
import { testTempDir } from '../../helpers/temp-dir';

describe('SlabArena', () => {
  it('hands out disjoint regions, reuses a slab only once every region of it is released', () => {
    const arena = new SlabArena();
    const a = arena.take(100_000);
    const b = arena.take(100_000);
    expect(a.slab).toBe(b.slab); // both fit in one slab
    a.buf.fill(1);
    b.buf.fill(2);
    const c = arena.take(100_000); // does not fit: a new slab, the first one still pending
    expect(c.slab).not.toBe(a.slab);
    c.buf.fill(3);
    expect(a.buf.every((x) => x === 1) && b.buf.every((x) => x === 2)).toBe(true);
    arena.release(a);
    const d = arena.take(50_000); // the current slab (c's) still has room
    expect(d.slab).toBe(c.slab);
    d.buf.fill(4);
    expect(b.buf.every((x) => x === 2) && c.buf.every((x) => x === 3)).toBe(true);
    arena.release(c);
    arena.release(d);
    // The current slab with nothing pending is filled again from its start.
    expect(arena.take(10).buf.byteOffset).toBe(c.buf.byteOffset);
  });

  it('a region larger than a slab gets a buffer of its own', () => {
    const arena = new SlabArena();
    const big = arena.take(SLAB_BYTES + 1);
    expect(big.buf.length).toBe(SLAB_BYTES + 1);
    arena.release(big);
  });

  it('an idle arena gives its slab back to the shared pool, which stays bounded', () => {
    const arenas = Array.from({ length: 10 }, () => new SlabArena());
    const regions = arenas.map((a) => a.take(1000));
    regions.forEach((r, i) => arenas[i]!.release(r));
    for (const a of arenas) a.idle();
    expect(pooledSlabs()).toBeGreaterThan(0);
    expect(pooledSlabs()).toBeLessThanOrEqual(4);
  });
});

describe('RotatingLogFile on slabs', () => {
  it('writes every chunk exactly, while writes are in flight and across slab boundaries, then holds no slab', async () => {
    const dir = testTempDir();
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 1 << 30, keep: 1 });
    const ts = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
    let expected = '';
    // Chunks of many sizes (some larger than a slab), queued in bursts so that regions of a slab are
    // written while later ones are being filled; a slab reused too early would corrupt earlier lines.
    for (let burst = 0; burst < 20; burst++) {
      for (let c = 0; c < 7; c++) {
        const n = c === 6 && burst % 5 === 0 ? 2500 : 1 + (((burst * 7 + c) * 97) % 400); // 2,500 lines: ~350 kB, over a slab
        const texts = Array.from({ length: n }, (_, i) => `${burst}.${c}.${i} ${'x'.repeat((i * 31) % 200)}${c === 3 ? ' ünï ✓' : ''}`);
        log.writeLines(ts, c % 2 ? 'stderr' : 'stdout', texts, c !== 3);
        expected += formatLogLines(ts, c % 2 ? 'stderr' : 'stdout', texts);
      }
      await new Promise((r) => setImmediate(r)); // the queue's bound (4 MiB) is never reached
    }
    await log.flush();
    const content = readFileSync(log.path, 'utf8');
    expect(content).not.toMatch(/not written/);
    expect(content).toBe(expected);
    await log.close();
    expect(pooledSlabs()).toBeLessThanOrEqual(4);
  });

  it('a chunk dropped because the queue is full releases its region: the lines after it are intact', async () => {
    const dir = testTempDir();
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 1 << 30, keep: 1, maxQueueBytes: 64 * 1024 });
    const ts = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
    const texts = (tag: string) => Array.from({ length: 200 }, (_, i) => `${tag} ${i} ${'y'.repeat(100)}`);
    for (let c = 0; c < 10; c++) log.writeLines(ts, 'stdout', texts(`burst${c}`), true); // most dropped
    await log.flush();
    log.writeLines(ts, 'stdout', texts('after'), true);
    await log.flush();
    const content = readFileSync(log.path, 'utf8');
    expect(content).toMatch(/log lines were not written/);
    expect(content.endsWith(formatLogLines(ts, 'stdout', texts('after')))).toBe(true);
    await log.close();
  });
});
