import { describe, expect, it } from 'vitest';
import { parseSize } from '../../../electron/supervisor/config/size';

describe('parseSize', () => {
  it.each([
    ['512MB', 512 * 1024 ** 2],
    ['512 MiB', 512 * 1024 ** 2],
    ['512mb', 512 * 1024 ** 2],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['2GB', 2 * 1024 ** 3],
    ['64K', 64 * 1024],
    ['64KB', 64 * 1024],
    ['64kib', 64 * 1024],
    ['1T', 1024 ** 4],
    ['2048', 2048],
    ['2048B', 2048],
    [' 10 M ', 10 * 1024 ** 2],
    [4096, 4096],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'MB', '12 parsecs', '-5MB', '1e3', '5 MBB', '1,5GB', 'Infinity'])('rejects %j', (text) => {
    expect(parseSize(text)).toBeNull();
  });

  it('rejects negative and non-finite numbers', () => {
    expect(parseSize(-1)).toBeNull();
    expect(parseSize(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
