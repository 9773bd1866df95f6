import { describe, expect, it } from 'vitest';
import { stackFileFromArgv } from '../../electron/main/launch-args';

const files = new Set(['/home/dev/shop/hearth.yaml']);
const isFile = (p: string) => files.has(p);

describe('stackFileFromArgv', () => {
  it('finds a yaml path, resolving it against the launching cwd', () => {
    expect(stackFileFromArgv(['/opt/Hearth/hearth', 'stack.yaml'], '/home/dev/shop', isFile)).toBe('/home/dev/shop/stack.yaml');
    expect(stackFileFromArgv(['electron', 'out/main/index.js', '/abs/h.yml'], '/x', isFile)).toBe('/abs/h.yml');
  });

  it('accepts a folder that holds hearth.yaml', () => {
    expect(stackFileFromArgv(['hearth', '.'], '/home/dev/shop', isFile)).toBe('/home/dev/shop/hearth.yaml');
    expect(stackFileFromArgv(['hearth', '/home/dev/other'], '/', isFile)).toBeNull();
  });

  it('ignores flags, the binary and the app script', () => {
    expect(stackFileFromArgv(['/opt/Hearth/hearth.yaml', '--no-sandbox', '--allow-file-access-from-files'], '/', isFile)).toBeNull();
    expect(stackFileFromArgv(['electron', '.', '--inspect=9229'], '/nowhere', isFile)).toBeNull();
    expect(stackFileFromArgv([], '/', isFile)).toBeNull();
  });

  it('takes the last stack argument', () => {
    expect(stackFileFromArgv(['hearth', 'a.yaml', 'b.yaml'], '/s', isFile)).toBe('/s/b.yaml');
  });
});
