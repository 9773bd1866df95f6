// The file-safety rules for `.hearth/`, as the same user (the cross-user attacks are in
// test/faults/foreign-state.test.ts): symlinks are never followed, temp names cannot be guessed,
// files are made exclusively and privately, a loose mode of our own folder is tightened.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { closeSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createExclusive,
  ensureDirUnder,
  ensureStateDir,
  NEW_PRIVATE_FILE,
  openAppend,
  openNewPrivate,
  readOwnFile,
  tempNameFor,
  UntrustedStateError,
  writeFileAtomic,
} from '../../electron/supervisor/safe-fs';
import { testTempDir } from '../helpers/temp-dir';

describe('ensureStateDir', () => {
  it('makes .hearth 0700, tightens a looser one of ours, and reports a missing one when not asked to make it', () => {
    const dir = join(testTempDir(), '.hearth');
    expect(ensureStateDir(dir, { create: false })).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(ensureStateDir(dir, { create: true })).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(dir, 0o755);
    ensureStateDir(dir, { create: false });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a .hearth of ours that others could write to (they may have planted something), and leaves its mode', () => {
    const dir = join(testTempDir(), '.hearth');
    mkdirSync(dir);
    for (const mode of [0o777, 0o770, 0o702]) {
      chmodSync(dir, mode);
      expect(() => ensureStateDir(dir, { create: false }), mode.toString(8)).toThrow(
        new RegExp(`\\.hearth is writable by other users \\(mode ${mode.toString(8)}\\)`),
      );
      expect(statSync(dir).mode & 0o777).toBe(mode);
    }
  });

  it('refuses a symlink or a file in place of .hearth', () => {
    const tmp = testTempDir();
    mkdirSync(join(tmp, 'elsewhere'));
    symlinkSync(join(tmp, 'elsewhere'), join(tmp, '.hearth'));
    expect(() => ensureStateDir(join(tmp, '.hearth'), { create: true })).toThrow(UntrustedStateError);
    expect(() => ensureStateDir(join(tmp, '.hearth'), { create: true })).toThrow(/is a symlink/);
    writeFileSync(join(tmp, 'f'), '');
    expect(() => ensureStateDir(join(tmp, 'f'), { create: true })).toThrow(/is not a folder/);
  });
});

describe('ensureDirUnder', () => {
  it('makes every folder 0700 and refuses a symlink anywhere below the root', () => {
    const root = testTempDir();
    ensureDirUnder(root, join(root, 'sandbox', 'api', '.logs'));
    expect(statSync(join(root, 'sandbox', 'api', '.logs')).mode & 0o777).toBe(0o700);
    mkdirSync(join(root, 'outside'));
    symlinkSync(join(root, 'outside'), join(root, 'sandbox', 'web'));
    expect(() => ensureDirUnder(root, join(root, 'sandbox', 'web', '.logs'))).toThrow(/sandbox\/web is a symlink/);
    expect(readdirSync(join(root, 'outside'))).toEqual([]);
    expect(() => ensureDirUnder(root, join(root, '..', 'x'))).toThrow(/is not inside/);
  });
});

describe('files', () => {
  it('never opens a symlink for appending, reading or exclusive creation', () => {
    const dir = testTempDir();
    writeFileSync(join(dir, 'target'), 'precious');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    expect(() => openAppend(join(dir, 'link'))).toThrow(/link is a symlink/);
    expect(() => readOwnFile(join(dir, 'link'))).toThrow(UntrustedStateError);
    expect(createExclusive(join(dir, 'link'), 'x')).toBe(false);
    // A dangling symlink too: O_EXCL never creates through one.
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(createExclusive(join(dir, 'dangling'), 'x')).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('precious');
  });

  it('refuses what is not a regular file, and reads nothing for a missing one', () => {
    const dir = testTempDir();
    mkdirSync(join(dir, 'folder'));
    expect(() => readOwnFile(join(dir, 'folder'))).toThrow(/not a regular file/);
    expect(readOwnFile(join(dir, 'missing'))).toBeNull();
  });

  it('appends to a file made 0600, and creates exclusively', () => {
    const dir = testTempDir();
    const fd = openAppend(join(dir, 'log'));
    writeSync(fd, 'one\n');
    closeSync(fd);
    expect(statSync(join(dir, 'log')).mode & 0o777).toBe(0o600);
    expect(createExclusive(join(dir, 'new'), 'a')).toBe(true);
    expect(createExclusive(join(dir, 'new'), 'b')).toBe(false);
    expect(readOwnFile(join(dir, 'new'))).toBe('a');
  });

  it('writes atomically through an unpredictable temp name, replacing a planted symlink rather than following it', () => {
    const dir = testTempDir();
    const names = new Set(Array.from({ length: 100 }, () => tempNameFor(join(dir, 'pids.json'))));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/\/\.pids\.json\.[0-9a-f]{24}\.tmp$/);
    writeFileSync(join(dir, 'target'), 'precious');
    symlinkSync(join(dir, 'target'), join(dir, 'pids.json'));
    writeFileAtomic(join(dir, 'pids.json'), '{"entries":[]}');
    expect(lstatSync(join(dir, 'pids.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, 'pids.json'), 'utf8')).toBe('{"entries":[]}');
    expect(statSync(join(dir, 'pids.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('precious');
    expect(readdirSync(dir).sort()).toEqual(['pids.json', 'target']); // no temp file left
  });

  it('writes capture files 0600 and never through a symlink, by writeFile options or a descriptor', async () => {
    const dir = testTempDir();
    writeFileSync(join(dir, 'target'), 'precious');
    symlinkSync(join(dir, 'target'), join(dir, 'x.cpuprofile'));
    await expect(writeFile(join(dir, 'x.cpuprofile'), 'profile', NEW_PRIVATE_FILE)).rejects.toMatchObject({ code: 'ELOOP' });
    expect(() => openNewPrivate(join(dir, 'x.cpuprofile'))).toThrow(/is a symlink/);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('precious');
    await writeFile(join(dir, 'y.heapsnapshot'), 'heap', NEW_PRIVATE_FILE);
    expect(statSync(join(dir, 'y.heapsnapshot')).mode & 0o777).toBe(0o600);
  });
});
