import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RECENT_STACKS_CAP,
  addRecentStack,
  createRecentStacksStore,
  pruneRecentStacks,
  removeRecentStack,
} from '../../electron/main/recent-stacks';
import { makeTempDir } from '../helpers/temp-dir';

// Pure tests use a fake realpath: /link/* points at /real/*.
const real = (p: string) => p.replace(/^\/link\//, '/real/');

describe('recent stack list logic', () => {
  it('adds to the front and moves an existing entry up instead of duplicating it', () => {
    expect(addRecentStack([], '/a.yaml', real)).toEqual(['/a.yaml']);
    expect(addRecentStack(['/a.yaml', '/b.yaml'], '/b.yaml', real)).toEqual(['/b.yaml', '/a.yaml']);
  });

  it('dedupes by real path: a symlink replaces its target and vice versa', () => {
    expect(addRecentStack(['/real/x.yaml', '/b.yaml'], '/link/x.yaml', real)).toEqual(['/link/x.yaml', '/b.yaml']);
    expect(removeRecentStack(['/link/x.yaml', '/b.yaml'], '/real/x.yaml', real)).toEqual(['/b.yaml']);
  });

  it('caps the list, dropping the oldest', () => {
    let list: string[] = [];
    for (let i = 0; i < 15; i += 1) list = addRecentStack(list, `/s${i}.yaml`, real);
    expect(list).toHaveLength(RECENT_STACKS_CAP);
    expect(list[0]).toBe('/s14.yaml');
    expect(list.at(-1)).toBe('/s5.yaml');
  });

  it('prunes missing files and duplicates, keeping order', () => {
    const exists = (p: string) => p !== '/gone.yaml';
    expect(pruneRecentStacks(['/a.yaml', '/gone.yaml', '/link/x.yaml', '/real/x.yaml', '/b.yaml'], exists, real)).toEqual([
      '/a.yaml',
      '/link/x.yaml',
      '/b.yaml',
    ]);
  });
});

describe('recent stacks store (real files)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function setup() {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const stacks = join(temp.dir, 'stacks');
    mkdirSync(stacks);
    const make = (name: string) => {
      const file = join(stacks, name);
      writeFileSync(file, 'services: {}\n');
      return file;
    };
    return { dir: temp.dir, store: createRecentStacksStore(join(temp.dir, 'userData', 'recent-stacks.json')), make };
  }

  it('persists, dedupes symlinks and drops deleted files', () => {
    const { dir, store, make } = setup();
    const a = make('a.yaml');
    const b = make('b.yaml');
    const link = join(dir, 'link.yaml');
    symlinkSync(a, link);

    expect(store.add(a)).toEqual([a]);
    expect(store.add(b)).toEqual([b, a]);
    expect(store.add(link)).toEqual([link, b]);

    const saved = JSON.parse(readFileSync(join(dir, 'userData', 'recent-stacks.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ stacks: [link, b] });

    rmSync(b);
    expect(store.list()).toEqual([link]);
    expect(store.remove(a)).toEqual([]);
  });

  it('treats a corrupt or hand-edited file as a list of what still makes sense', () => {
    const { dir, store, make } = setup();
    const a = make('a.yaml');
    const file = join(dir, 'userData', 'recent-stacks.json');
    mkdirSync(join(dir, 'userData'), { recursive: true });
    writeFileSync(file, 'not json');
    expect(store.list()).toEqual([]);
    writeFileSync(file, JSON.stringify({ stacks: [a, 42, null, join(dir, 'stacks'), a] }));
    // a number, null, a directory and a duplicate are all dropped
    expect(store.list()).toEqual([a]);
  });
});
