import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testTempDir } from '../helpers/temp-dir';
import {
  SNOOZE_FILE,
  isOrphanedSnooze,
  parseNote,
  parseUntil,
  readSnooze,
  removeSnooze,
  snoozeExpired,
  watchSnooze,
  writeSnooze,
  type SnoozeInfo,
} from '../../electron/supervisor/snooze';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

let temp: { dir: string; cleanup: () => void };
let sandbox: string;
beforeEach(() => {
  temp = makeTempDir('snz-');
  sandbox = join(temp.dir, 'api');
  mkdirSync(sandbox);
});
afterEach(() => temp.cleanup());

const file = () => join(sandbox, SNOOZE_FILE);

describe('readSnooze', () => {
  it('no file: not snoozed', () => {
    expect(readSnooze(sandbox)).toEqual({ snoozed: false, since: null, until: null });
    expect(readSnooze(join(temp.dir, 'missing-sandbox'))).toEqual({ snoozed: false, since: null, until: null });
  });

  it('a file touched by hand is an untimed snooze since its mtime', () => {
    writeFileSync(file(), '');
    const mtime = new Date('2025-03-04T05:06:07.000Z');
    utimesSync(file(), mtime, mtime);
    expect(readSnooze(sandbox)).toEqual({ snoozed: true, since: mtime.getTime(), until: null });
  });

  it('any content without our JSON line is still an untimed snooze', () => {
    writeFileSync(file(), 'taking a heap dump, back in 10 min\n{not json\n');
    expect(readSnooze(sandbox)).toMatchObject({ snoozed: true, until: null });
  });

  it('a folder of that name is not a snooze (Aurora checks for a file)', () => {
    mkdirSync(file());
    expect(readSnooze(sandbox).snoozed).toBe(false);
  });
});

describe('writeSnooze / removeSnooze', () => {
  it('writes a timed snooze whose end time reads back, with a human note', () => {
    const until = Date.UTC(2031, 0, 2, 3, 4, 5);
    const info = writeSnooze(sandbox, until, Date.UTC(2031, 0, 2, 2, 0, 0));
    expect(info).toMatchObject({ snoozed: true, until });
    expect(readSnooze(sandbox)).toEqual(info);
    const content = readFileSync(file(), 'utf8');
    expect(content).toContain('2031-01-02T03:04:05.000Z');
    expect(content).toContain('Delete this file');
    expect(Math.abs((info.since ?? 0) - statSync(file()).mtimeMs)).toBeLessThan(1);
  });

  it('writes an untimed snooze', () => {
    expect(writeSnooze(sandbox, null)).toMatchObject({ snoozed: true, until: null });
    expect(readFileSync(file(), 'utf8')).toContain('until this file is removed');
  });

  it('replaces an existing file atomically and leaves no temp file behind', () => {
    writeFileSync(file(), 'by hand');
    for (let i = 1; i <= 20; i++) writeSnooze(sandbox, 1000 * i);
    expect(readdirSync(sandbox)).toEqual([SNOOZE_FILE]);
    expect(readSnooze(sandbox).until).toBe(20_000);
  });

  it('creates a missing sandbox folder', () => {
    const fresh = join(temp.dir, 'not-started-yet');
    expect(writeSnooze(fresh, null).snoozed).toBe(true);
  });

  it('fails loudly (and cleans up) when the file cannot be written', () => {
    mkdirSync(file()); // rename cannot replace a folder with a file
    writeFileSync(join(file(), 'keep'), '');
    expect(() => writeSnooze(sandbox, null)).toThrow();
    expect(readdirSync(sandbox)).toEqual([SNOOZE_FILE]);
  });

  it('remove is idempotent', () => {
    writeSnooze(sandbox, null);
    expect(removeSnooze(sandbox)).toBe(true);
    expect(removeSnooze(sandbox)).toBe(false);
    expect(removeSnooze(join(temp.dir, 'missing-sandbox'))).toBe(false);
    expect(readSnooze(sandbox).snoozed).toBe(false);
  });
});

describe('parseUntil / snoozeExpired', () => {
  it.each([
    ['{"by":"me","at":1,"until":12345}', 12345],
    ['note\n  {"until": 99}  \n', 99],
    ['{"until": null}', null],
    ['{"until": "tomorrow"}', null],
    ['', null],
    ['null', null],
  ])('parseUntil(%j) = %s', (content, expected) => {
    expect(parseUntil(content)).toBe(expected);
  });

  it.each([
    [{ snoozed: true, since: 0, until: 1000 }, 999, false],
    [{ snoozed: true, since: 0, until: 1000 }, 1000, true],
    [{ snoozed: true, since: 0, until: null }, 1e15, false],
    [{ snoozed: false, since: null, until: null }, 1e15, false],
  ] as [SnoozeInfo, number, boolean][])('snoozeExpired(%j, %s) = %s', (info, now, expected) => {
    expect(snoozeExpired(info, now)).toBe(expected);
  });
});

describe('watchSnooze', () => {
  it('reports touch, re-touch and rm made by hand', async () => {
    const seen: SnoozeInfo[] = [];
    const close = watchSnooze(sandbox, (info) => seen.push(info));
    try {
      writeFileSync(file(), '');
      await waitFor(() => seen.at(-1)?.snoozed === true, { what: 'the touch to be seen' });
      const old = new Date('2020-01-01T00:00:00Z');
      utimesSync(file(), old, old);
      await waitFor(() => seen.at(-1)?.since === old.getTime(), { what: 'the re-touch to be seen' });
      rmSync(file());
      await waitFor(() => seen.at(-1)?.snoozed === false, { what: 'the rm to be seen' });
      writeSnooze(sandbox, 5000);
      await waitFor(() => seen.at(-1)?.until === 5000, { what: 'the timed snooze to be seen' });
    } finally {
      close();
    }
  });

  it('ignores other files in the sandbox and stops after close', async () => {
    const seen: SnoozeInfo[] = [];
    const close = watchSnooze(sandbox, (info) => seen.push(info), { debounceMs: 5 });
    writeFileSync(join(sandbox, 'app.log'), 'x');
    writeFileSync(file(), '');
    await waitFor(() => seen.length === 1, { what: 'one event' });
    close();
    close(); // idempotent
    rmSync(file());
    // Proof that nothing arrives after close: a second, still-open watch sees the rm…
    const after: SnoozeInfo[] = [];
    writeFileSync(file(), '');
    const close2 = watchSnooze(sandbox, (info) => after.push(info), { debounceMs: 5 });
    rmSync(file());
    await waitFor(() => after.length === 1, { what: 'the second watch to see the rm' });
    close2();
    // …while the closed one recorded only the touch.
    expect(seen.map((s) => s.snoozed)).toEqual([true]);
  });

  it('falls back to polling when the sandbox does not exist yet', async () => {
    const later = join(temp.dir, 'later');
    const seen: SnoozeInfo[] = [];
    const close = watchSnooze(later, (info) => seen.push(info), { pollMs: 50 });
    try {
      mkdirSync(later);
      writeFileSync(join(later, SNOOZE_FILE), '');
      await waitFor(() => seen.at(-1)?.snoozed === true, { what: 'the polled touch' });
      rmSync(join(later, SNOOZE_FILE));
      await waitFor(() => seen.at(-1)?.snoozed === false, { what: 'the polled rm' });
    } finally {
      close();
    }
  });
});

describe('watchSnooze when the sandbox is removed and made again', () => {
  it('notices the snooze going with the folder, then watches the new folder', async () => {
    writeFileSync(file(), '');
    const seen: SnoozeInfo[] = [];
    const close = watchSnooze(sandbox, (info) => seen.push(info), { pollMs: 50 });
    try {
      rmSync(sandbox, { recursive: true });
      await waitFor(() => seen.at(-1)?.snoozed === false, { what: 'the snooze to go with the folder' });
      mkdirSync(sandbox);
      writeFileSync(file(), '');
      await waitFor(() => seen.at(-1)?.snoozed === true, { what: 'the snooze in the new folder' });
      rmSync(file());
      await waitFor(() => seen.at(-1)?.snoozed === false, { what: 'the rm in the new folder' });
    } finally {
      close();
    }
  });
});

describe('capture and debug snoozes (reason and owner)', () => {
  it('writes and reads back the reason and the Hearth that made it; a user snooze has neither', () => {
    const [write, read] = [writeSnooze, readSnooze];
    const dir = testTempDir();
    write(dir, 5000, 1000, { reason: 'capture', owner: { pid: 42, start: 7 } });
    const info = read(dir);
    expect(info).toMatchObject({ snoozed: true, until: 5000, reason: 'capture', owner: { pid: 42, start: 7 } });
    expect(isOrphanedSnooze(info, () => false)).toBe(true);
    expect(isOrphanedSnooze(info, () => true)).toBe(false);
    write(dir, null, 1000);
    expect(read(dir).reason).toBeUndefined();
    expect(isOrphanedSnooze(read(dir), () => false)).toBe(false);
    // Hostile content is not taken for a reason or an owner.
    expect(parseNote('{"until": 1, "reason": "../../x", "owner": {"pid": -1}}')).toEqual({ until: 1 });
  });
});
