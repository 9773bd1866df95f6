// `watch:` and `resources:` in the stack file: both shapes of watch, defaults, size errors at their
// line, and neither being part of the fingerprint (a reload applies them without a restart).
import { describe, expect, it } from 'vitest';
import { diffStacks } from '../../../electron/supervisor/config/diff';
import { parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';

function load(text: string): StackConfig {
  const r = parseStack(text, '/s/hearth.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.stack;
}

describe('watch:', () => {
  it('accepts the short list and the full form, with a 300 ms default debounce', () => {
    const s = load(`services:
  a:
    cmd: sleep 1
    watch: [src, "lib/**/*.js"]
  b:
    cmd: sleep 1
    watch: { paths: [src], ignore: ["**/*.tmp"], debounce_ms: 50 }
  c:
    cmd: sleep 1
`);
    expect(s.services.a!.watch).toEqual({ paths: ['src', 'lib/**/*.js'], ignore: [], debounce_ms: 300 });
    expect(s.services.b!.watch).toEqual({ paths: ['src'], ignore: ['**/*.tmp'], debounce_ms: 50 });
    expect(s.services.c!.watch).toBeNull();
  });

  it('rejects an empty list and unknown keys at their line', () => {
    const r = parseStack('services:\n  a:\n    cmd: sleep 1\n    watch: { paths: [], debounce: 5 }\n', '/s/hearth.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.every((e) => e.line === 4 && e.path.startsWith('services.a.watch'))).toBe(true);
  });
});

describe('resources:', () => {
  it('parses ram sizes (binary units, as in Aurora) and bytes', () => {
    const s = load(`services:
  a: { cmd: sleep 1, resources: { ram: 512MB } }
  b: { cmd: sleep 1, resources: { ram: 1.5GiB } }
  c: { cmd: sleep 1, resources: { ram: 1048576 } }
  d: { cmd: sleep 1 }
`);
    expect(s.services.a!.resources).toEqual({ ram_bytes: 512 * 1024 ** 2 });
    expect(s.services.b!.resources).toEqual({ ram_bytes: 1.5 * 1024 ** 3 });
    expect(s.services.c!.resources).toEqual({ ram_bytes: 1048576 });
    expect(s.services.d!.resources).toEqual({ ram_bytes: null });
  });

  it('reports a bad size at its line and column', () => {
    const r = parseStack('services:\n  a:\n    cmd: sleep 1\n    resources:\n      ram: 12 parsecs\n  b: { cmd: sleep 1, resources: { ram: 0MB } }\n', '/s/hearth.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.col, e.path])).toEqual([
      [5, 12, 'services.a.resources.ram'],
      [6, 40, 'services.b.resources.ram'],
    ]);
    expect(r.errors[0]!.message).toMatch(/512MB/);
    expect(r.errors[1]!.message).toMatch(/above 0/);
  });
});

describe('fingerprint', () => {
  it('ignores watch and resources, so a reload applies them without restarting', () => {
    const a = load('services:\n  a: { cmd: sleep 1 }\n');
    const b = load('services:\n  a: { cmd: sleep 1, watch: [src], resources: { ram: 1GB } }\n');
    expect(diffStacks(a, b)).toMatchObject({ changed: [], unchanged: ['a'] });
  });
});
