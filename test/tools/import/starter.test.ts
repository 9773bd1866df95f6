// `hearth init` without --from: the starter file is valid, points at the schema, and runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { openStackHost, type StackHost } from '../../../electron/host/stack-host';
import { loadStackFile } from '../../../electron/supervisor/config/load';
import { SCHEMA_FILE, schemaRefFor } from '../../../electron/tools/import/schema-ref';
import { captureIo } from '../../cli/capture-io';
import { makeTempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';

describe('schemaRefFor', () => {
  it('points at the shipped schema: relative inside a shared tree, absolute across the root', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toContain('"$schema"');
    expect(schemaRefFor('/home/me/app/hearth.yaml', '/home/me/app/node_modules/hearth/schema/hearth.schema.json')).toBe('node_modules/hearth/schema/hearth.schema.json');
    expect(schemaRefFor('/repo/examples/shop/hearth.yaml', '/repo/schema/hearth.schema.json')).toBe('../../schema/hearth.schema.json');
    expect(schemaRefFor('/tmp/x/hearth.yaml', '/usr/lib/hearth/schema/hearth.schema.json')).toBe('/usr/lib/hearth/schema/hearth.schema.json');
  });
});

describe('hearth init', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let host: StackHost | null = null;
  beforeEach(() => (temp = makeTempDir()));
  afterEach(async () => {
    await host?.close();
    host = null;
    temp.cleanup();
  });

  it('writes a commented starter with an HTTP service and a job that loads and runs', async () => {
    const io = captureIo(temp.dir);
    expect(await main(['init', '-f', 'stack.yaml'], io)).toBe(0);
    expect(io.out.text).toBe('wrote stack.yaml: a starter stack\n');
    expect(io.err.text).toBe('');
    const file = join(temp.dir, 'stack.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schemaRefFor(file)}`);
    const loaded = await loadStackFile(file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const { setup, web } = loaded.stack.services;
    expect(setup!.service).toBe(false);
    expect(web!.service).toBe(true);
    expect(web!.health_check?.probe).toMatchObject({ kind: 'http', port: 'http', endpoint: '/health' });

    // It is a real, working stack: the job completes and the service turns healthy.
    host = await openStackHost({ file, control: false });
    const supervisor = host.supervisor;
    await waitFor(() => supervisor.snapshot().services.find((s) => s.name === 'web' && s.state === 'RUNNING' && s.health.status === 'healthy'), {
      timeoutMs: 20_000,
      what: 'starter web healthy',
    });
    expect(supervisor.snapshot().services.find((s) => s.name === 'setup')!.state).toBe('FINISHED');
  });

  it('refuses to overwrite without --force', async () => {
    expect(await main(['init'], captureIo(temp.dir))).toBe(0);
    const again = captureIo(temp.dir);
    expect(await main(['init'], again)).toBe(1);
    expect(again.err.text).toBe('hearth init: hearth.yaml already exists (use --force to overwrite it)\n');
    expect(await main(['init', '--force'], captureIo(temp.dir))).toBe(0);
  });

  it('fails clearly on a missing source', async () => {
    const io = captureIo(temp.dir);
    expect(await main(['init', '--from', 'nope.yaml'], io)).toBe(1);
    expect(io.err.text).toMatch(/^hearth init: cannot read nope\.yaml: ENOENT/);
  });
});
