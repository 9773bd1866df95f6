import { describe, expect, it } from 'vitest';
import { formatSize } from '../../shared/format-size';

describe('formatSize', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatSize(12)).toBe('12 B');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatSize(1.25 * 1024 ** 3)).toBe('1.3 GiB');
  });
});
