import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// In a process of its own: the flag is process-wide, and the test runner's heap is not a fresh one.
const PROBE = join(__dirname, 'fixtures', 'young-generation-probe.ts');

function probe(mode: 'held' | 'failed' | 'free'): { start: number; during: number; after: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', PROBE, mode], { encoding: 'utf8' });
  return JSON.parse(out) as { start: number; during: number; after: number };
}

describe('whileStarting', () => {
  it('lets V8 grow the young generation under surviving allocations when nothing holds it (the control)', () => {
    const { start, during } = probe('free');
    expect(during).toBeGreaterThanOrEqual(start * 4);
  });

  it('holds the young generation at its size while starting, and lets it grow again once started', () => {
    const { start, during, after } = probe('held');
    expect(during).toBe(start);
    expect(after).toBeGreaterThanOrEqual(start * 4);
  });

  it('lets it grow again after a start that failed', () => {
    const { start, during, after } = probe('failed');
    expect(during).toBe(start);
    expect(after).toBeGreaterThanOrEqual(start * 4);
  });
});
