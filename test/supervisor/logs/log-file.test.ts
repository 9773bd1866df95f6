import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingLogFile, formatLogLine, formatLogLines, parseLogFileLine, readTail } from '../../../electron/supervisor/logs/log-file';
import type { LogLine } from '../../../shared/types';
import { testTempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';


let seq = 0;
const line = (text: string, stream: LogLine['stream'] = 'stdout'): LogLine => ({ seq: ++seq, service: 'api', run: 1, ts: Date.UTC(2024, 0, 2, 3, 4, 5, 6), stream, text });
const read = (path: string) => readFileSync(path, 'utf8');
const textsOf = (content: string) => content.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf('| ') + 2));

describe('RotatingLogFile', () => {
  it('appends formatted lines, creating the folder', async () => {
    const dir = join(testTempDir(), 'logs', 'nested');
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 1 << 20, keep: 3 });
    expect(log.path).toBe(join(dir, 'api.log'));
    log.write(line('hello'));
    log.write(line('oops', 'stderr'));
    log.write(line('started', 'system'));
    await log.flush();
    expect(read(log.path)).toBe('2024-01-02T03:04:05.006Z stdout| hello\n2024-01-02T03:04:05.006Z stderr| oops\n2024-01-02T03:04:05.006Z system| started\n');
    expect(log.error).toBeNull();
    await log.close();
    log.write(line('after close'));
    await log.flush();
    expect(read(log.path)).not.toContain('after close');
  });

  it('writes a chunk of ASCII lines and a chunk of UTF-8 lines byte for byte as formatted', async () => {
    const dir = testTempDir();
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 1 << 20, keep: 1 });
    const ts = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
    log.writeLines(ts, 'stdout', ['plain', 'ascii text', ''], true);
    log.writeLines(ts, 'stderr', ['héllo wörld', '🔥 日本語', 'x']);
    await log.close();
    // A wrong byte count for either chunk would cut or pad the file (UTF-8 text is longer in bytes).
    expect(readFileSync(log.path)).toEqual(Buffer.from(formatLogLines(ts, 'stdout', ['plain', 'ascii text', '']) + formatLogLines(ts, 'stderr', ['héllo wörld', '🔥 日本語', 'x'])));
    expect(textsOf(read(log.path))).toEqual(['plain', 'ascii text', '', 'héllo wörld', '🔥 日本語', 'x']);
  });

  it('appends to an existing file across instances', async () => {
    const dir = testTempDir();
    for (const text of ['first', 'second']) {
      const log = new RotatingLogFile({ dir, name: 'web', maxBytes: 1 << 20, keep: 1 });
      log.write(line(text));
      await log.close();
    }
    expect(textsOf(read(join(dir, 'web.log')))).toEqual(['first', 'second']);
  });

  it('rotates by size into exactly keep + 1 files, newest in .log, oldest deleted', async () => {
    const dir = testTempDir();
    const one = Buffer.byteLength(formatLogLine(line('line 000')));
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: one * 10, keep: 3 });
    for (let i = 0; i < 100; i++) {
      log.write(line(`line ${String(i).padStart(3, '0')}`));
      if (i % 7 === 0) await log.flush(); // mix of large and small batches
    }
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(['api.log', 'api.log.1', 'api.log.2', 'api.log.3']);
    const files = ['api.log.3', 'api.log.2', 'api.log.1', 'api.log'].map((f) => textsOf(read(join(dir, f))));
    for (const f of files) expect(f).toHaveLength(10); // each file filled to maxBytes exactly
    expect(files.flat()).toEqual(Array.from({ length: 40 }, (_, k) => `line ${String(60 + k).padStart(3, '0')}`));
    for (const f of ['api.log', 'api.log.1']) expect(read(join(dir, f)).length).toBeLessThanOrEqual(one * 10);
  });

  it('cuts a many-line chunk at exact line boundaries when it straddles a rotation, multibyte text included', async () => {
    const dir = testTempDir();
    const texts = Array.from({ length: 95 }, (_, i) => `chunk line ${String(i).padStart(3, '0')} ${i % 3 ? 'ü' : 'x'}`);
    const one = Buffer.byteLength(formatLogLine(line(texts[1]!)));
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: one * 20, keep: 9 });
    log.writeLines(Date.now(), 'stdout', texts.slice(0, 30));
    log.writeLines(Date.now(), 'stderr', texts.slice(30));
    await log.close();
    const names = readdirSync(dir).sort((a, b) => (b.split('.')[2] ?? '0').localeCompare(a.split('.')[2] ?? '0', 'en', { numeric: true }));
    const contents = names.map((f) => read(join(dir, f)));
    for (const c of contents) {
      expect(Buffer.byteLength(c)).toBeLessThanOrEqual(one * 20);
      expect(c.endsWith('\n')).toBe(true);
    }
    expect(contents.flatMap(textsOf)).toEqual(texts);
    expect(contents.join('').split('\n').filter(Boolean).map((l) => l.slice(25, 31))).toEqual([...Array(30).fill('stdout'), ...Array(65).fill('stderr')]);
  });

  it('keep 0 keeps only the current file', async () => {
    const dir = testTempDir();
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 100, keep: 0 });
    for (let i = 0; i < 20; i++) log.write(line(`n${i}`));
    await log.close();
    expect(readdirSync(dir)).toEqual(['api.log']);
    expect(textsOf(read(join(dir, 'api.log'))).at(-1)).toBe('n19');
  });

  it('bounds the queue: a burst beyond maxQueueBytes is dropped, counted and marked', async () => {
    const dir = testTempDir();
    const one = Buffer.byteLength(formatLogLine(line('x'.repeat(50))));
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 1 << 20, keep: 1, maxQueueBytes: one * 20 });
    for (let i = 0; i < 100; i++) log.write(line('x'.repeat(50))); // synchronous burst: nothing written yet
    const fit = 20;
    log.write(line('later')); // still in the same tick: dropped too
    await log.flush();
    log.write(line('after the burst'));
    await log.close();
    const texts = textsOf(read(log.path));
    expect(texts.filter((t) => t.startsWith('xxx'))).toHaveLength(fit);
    expect(texts.slice(fit)).toEqual([`[hearth] ${100 - fit + 1} log lines were not written (the disk did not keep up)`, 'after the burst']);
  });

  it('an unwritable folder sets error without throwing, and writing resumes once it is fixed', async () => {
    const root = testTempDir();
    const isRoot = process.getuid?.() === 0;
    // As root, permissions do not block writes: make the log folder's parent a FILE instead (ENOTDIR).
    const parent = join(root, 'blocker');
    if (isRoot) writeFileSync(parent, 'not a folder');
    else {
      mkdirSync(parent);
      chmodSync(parent, 0o500);
    }
    const errors: Error[] = [];
    let recovered = 0;
    const log = new RotatingLogFile({ dir: join(parent, 'logs'), name: 'api', maxBytes: 1 << 20, keep: 1, retryMs: 100, onError: (e) => errors.push(e), onRecover: () => recovered++ });
    expect(() => log.write(line('lost 1'))).not.toThrow();
    await log.flush();
    expect(log.error).toMatch(isRoot ? /^cannot write log file .*api\.log: ENOTDIR/ : /^cannot write log file .*api\.log: EACCES/);
    log.write(line('lost 2'));
    log.write(line('lost 3'));
    await log.flush();
    expect(errors).toHaveLength(1); // reported once, not once per line

    if (isRoot) rmSync(parent);
    else chmodSync(parent, 0o700);
    await waitFor(
      async () => {
        log.write(line('back'));
        await log.flush();
        return log.error === null;
      },
      { what: 'log file writable again' },
    );
    // Told once, so the status that showed the error can drop it (nothing polls the file's state).
    expect(recovered).toBe(1);
    log.write(line('more'));
    await log.flush();
    expect(recovered).toBe(1);
    await log.close();
    const texts = textsOf(read(log.path));
    expect(texts[0]).toMatch(/^\[hearth\] \d+ log lines were not written \(log file unwritable\)$/);
    expect(texts.at(-1)).toBe('more');
    expect(texts.join('\n')).not.toContain('lost');
  });

  it('a symlink (to /dev/full) in place of the file is never followed: error without throwing, resumes once removed', async () => {
    if (!existsSync('/dev/full')) return; // Linux only
    const dir = testTempDir();
    symlinkSync('/dev/full', join(dir, 'api.log'));
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 1 << 20, keep: 1, retryMs: 50 });
    log.write(line('into the void'));
    await log.flush();
    expect(log.error).toMatch(/api\.log is a symlink; Hearth does not follow symlinks/);
    rmSync(join(dir, 'api.log'));
    await waitFor(
      async () => {
        log.write(line('ok now'));
        await log.flush();
        return log.error === null;
      },
      { what: 'writes resumed' },
    );
    await log.close();
    expect(textsOf(read(log.path)).at(-1)).toBe('ok now');
  });
});

describe('parseLogFileLine', () => {
  it('reads back what formatLogLines wrote: time, stream and text (with its own "| " and spaces)', () => {
    const ts = Date.UTC(2026, 10, 25, 10, 0, 0, 123);
    const texts = ['plain', '  indented | with a bar', '', 'héllo 🔥'];
    for (const stream of ['stdout', 'stderr', 'system'] as const) {
      const lines = formatLogLines(ts, stream, texts).split('\n').slice(0, -1);
      expect(lines.map((l) => parseLogFileLine(l, 'api'))).toEqual(texts.map((text) => ({ seq: 0, service: 'api', run: 0, ts, stream, text })));
    }
  });

  it('is null for a line not in the format (an edited file, a cut first line)', () => {
    expect(parseLogFileLine('hello', 'api')).toBeNull();
    expect(parseLogFileLine('26-11-25T10:00:00.000Z stdout| x', 'api')).toBeNull();
    expect(parseLogFileLine('2026-11-25T10:00:00.000Z stdin| x', 'api')).toBeNull();
  });
});

describe('readTail', () => {
  it('returns the last n lines, spanning rotated files, oldest first', async () => {
    const dir = testTempDir();
    const log = new RotatingLogFile({ dir, name: 'api', maxBytes: 400, keep: 5 });
    for (let i = 0; i < 30; i++) log.write(line(`n${i}`));
    await log.close();
    expect(existsSync(join(dir, 'api.log.1'))).toBe(true);
    expect(textsOf((await readTail(log.path, 12)).join('\n'))).toEqual(Array.from({ length: 12 }, (_, k) => `n${18 + k}`));
    expect(await readTail(log.path, 0)).toEqual([]);
    expect(await readTail(join(dir, 'missing.log'), 5)).toEqual([]);
  });

  it('reads only the end of a big file, and handles a last line without a newline', async () => {
    const dir = testTempDir();
    const path = join(dir, 'big.log');
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    writeFileSync(path, lines.join('\n'));
    expect(await readTail(path, 3)).toEqual(lines.slice(-3));
    expect(await readTail(path, 5000)).toEqual(lines.slice(-5000));
    expect(await readTail(path, 1_000_000)).toEqual(lines);
  });
});
