// `hearth export` through the CLI: output on stdout or -o, notes on stderr, errors as exit codes.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { captureIo } from '../../cli/capture-io';
import { makeTempDir } from '../../helpers/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
  copyFileSync(join(import.meta.dirname, '../fixtures/stack.yaml'), join(temp.dir, 'hearth.yaml'));
});
afterEach(() => temp.cleanup());

describe('hearth export', () => {
  it('prints Kubernetes YAML on stdout and what has no equivalent on stderr', async () => {
    const io = captureIo(temp.dir);
    expect(await main(['export', 'kubernetes'], io)).toBe(0);
    const docs = parseAllDocuments(io.out.text) as Array<{ toJS(): { kind: string } }>;
    expect(docs.map((d) => d.toJS().kind)).toContain('Deployment');
    expect(io.out.text).not.toContain('no kubernetes equivalent');
    expect(io.err.text).toMatch(/^no kubernetes equivalent \(\d+\):\n {2}- /);
    expect(io.err.text).toContain('  - .healthchecksnooze: no equivalent: probes cannot be paused from inside a pod\n');
  });

  it('writes to -o and takes the Aurora cluster, role and environment from options or $USER', async () => {
    const io = captureIo(temp.dir, { USER: 'carol' });
    expect(await main(['export', 'aurora', '-o', 'stack.aurora', '--cluster', 'west'], io)).toBe(0);
    expect(io.out.text).toBe('');
    expect(io.err.text).toMatch(/^wrote stack\.aurora\nno aurora equivalent/);
    const text = readFileSync(join(temp.dir, 'stack.aurora'), 'utf8');
    expect(text).toContain("cluster = 'west'");
    expect(text).toContain("role = 'carol'");
    expect(text).toContain("environment = 'devel'");
  });

  it('accepts k8s as an alias and compose, and rejects other formats with a usage error', async () => {
    expect(await main(['export', 'k8s'], captureIo(temp.dir))).toBe(0);
    const compose = captureIo(temp.dir);
    expect(await main(['-f', 'hearth.yaml', 'export', 'compose'], compose)).toBe(0);
    expect(compose.out.text).toContain('services:\n  migrate:\n    image: REPLACE_ME/migrate:latest');
    const bad = captureIo(temp.dir);
    expect(await main(['export', 'nomad'], bad)).toBe(2);
    expect(bad.err.text).toContain('unknown format "nomad"');
    const none = captureIo(temp.dir);
    expect(await main(['export'], none)).toBe(2);
  });

  it('reports stack file errors instead of exporting', async () => {
    writeFileSync(join(temp.dir, 'hearth.yaml'), 'services:\n  a: { cmd: x, bogus: 1 }\n');
    const io = captureIo(temp.dir);
    expect(await main(['export', 'compose'], io)).toBe(1);
    expect(io.out.text).toBe('');
    expect(io.err.text).toContain('bogus');
  });
});
