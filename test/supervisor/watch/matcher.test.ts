import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMatcher, describeChanges } from '../../../electron/supervisor/watch/matcher';

const CWD = '/stack/api';
const DEFAULTS = { ignoredDirNames: ['.hearth', 'node_modules', '.git'], ignoredAbs: ['/stack/.hearth'] };
const at = (rel: string) => join(CWD, rel);

describe('watch matcher', () => {
  it('watches the base folder of a glob and filters by the glob', () => {
    const m = buildMatcher({ paths: ['src/**/*.ts', 'config.json', 'lib'], ignore: [] }, CWD, DEFAULTS);
    expect(m.roots).toEqual([at('src'), at('config.json'), at('lib')]);
    expect(m.matches(at('src/a.ts'))).toBe(true);
    expect(m.matches(at('src/deep/er/b.ts'))).toBe(true);
    expect(m.matches(at('src/a.js'))).toBe(false);
    expect(m.matches(at('config.json'))).toBe(true);
    expect(m.matches(at('config.json.bak'))).toBe(false);
    expect(m.matches(at('lib/x/y.rb'))).toBe(true);
    expect(m.matches(at('other.ts'))).toBe(false);
  });

  it('takes a glob without a folder relative to the cwd, and dotfiles count', () => {
    const m = buildMatcher({ paths: ['*.py'], ignore: [] }, CWD, DEFAULTS);
    expect(m.roots).toEqual([CWD]);
    expect(m.matches(at('app.py'))).toBe(true);
    expect(m.matches(at('.hidden.py'))).toBe(true);
    expect(m.matches(at('pkg/app.py'))).toBe(false);
  });

  it('always ignores node_modules, .git and .hearth below a watched root, and the stack .hearth folder', () => {
    const m = buildMatcher({ paths: ['.'], ignore: [] }, CWD, DEFAULTS);
    expect(m.matches(at('node_modules/x/index.js'))).toBe(false);
    expect(m.matches(at('.git/HEAD'))).toBe(false);
    expect(m.matches(at('.hearth/sandbox/api/.logs/api.log'))).toBe(false);
    expect(m.ignored(at('node_modules'))).toBe(true);
    expect(buildMatcher({ paths: ['..'], ignore: [] }, CWD, DEFAULTS).matches('/stack/.hearth/pids.json')).toBe(false);
    // Watching inside node_modules on purpose still works.
    const linked = buildMatcher({ paths: ['node_modules/my-lib'], ignore: [] }, CWD, DEFAULTS);
    expect(linked.matches(at('node_modules/my-lib/index.js'))).toBe(true);
  });

  it('applies ignore globs relative to the cwd, to a path and to its parent folders', () => {
    const m = buildMatcher({ paths: ['.'], ignore: ['dist', '**/*.tmp', 'logs/**'] }, CWD, DEFAULTS);
    expect(m.matches(at('dist/bundle.js'))).toBe(false);
    expect(m.ignored(at('dist'))).toBe(true);
    expect(m.matches(at('src/a.tmp'))).toBe(false);
    expect(m.matches(at('logs/today.txt'))).toBe(false);
    expect(m.matches(at('src/a.ts'))).toBe(true);
  });

  it('displays paths relative to the cwd', () => {
    const m = buildMatcher({ paths: ['.'], ignore: [] }, CWD, DEFAULTS);
    expect(m.display(at('src/a.ts'))).toBe('src/a.ts');
    expect(m.display('/elsewhere/x')).toBe('/elsewhere/x');
  });

  it('describes one or several changed paths', () => {
    expect(describeChanges(['src/a.ts'])).toBe('src/a.ts');
    expect(describeChanges(['src/a.ts', 'src/b.ts', 'c'])).toBe('src/a.ts (+2 more)');
    expect(describeChanges([])).toBe('');
  });
});
