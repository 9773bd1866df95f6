// hearth init --from process-compose.yaml, end to end: a real process-compose project is imported,
// passes `hearth check`, and runs under a real StackHost: replicas on the ports Hearth allocates,
// health-checked over HTTP, with the environment process-compose would have given them.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { openStackHost, type StackHost } from '../../../electron/host/stack-host';
import { captureIo } from '../../cli/capture-io';
import { makeTempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';

const PROJECT = join(import.meta.dirname, '../fixtures/pc-run');

describe('hearth init --from process-compose.yaml (real files, real processes)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let host: StackHost | null = null;
  beforeEach(() => {
    temp = makeTempDir();
    cpSync(PROJECT, temp.dir, { recursive: true });
  });
  afterEach(async () => {
    await host?.close();
    host = null;
    temp.cleanup();
  });

  it('imports, passes hearth check, and runs each replica healthy on its own port with its environment', async () => {
    const io = captureIo(temp.dir);
    expect(await main(['init', '--from', 'process-compose.yaml'], io)).toBe(0);
    expect(io.out.text).toBe('wrote hearth.yaml: 3 services from process-compose.yaml (process-compose)\n');
    const written = readFileSync(join(temp.dir, 'hearth.yaml'), 'utf8');
    expect(written).toContain('cmd: echo replica $PC_REPLICA_NUM home $HOME && exec node server.mjs {{thermos.ports[http]}}');
    const check = captureIo(temp.dir);
    expect(await main(['check'], check)).toBe(0);
    expect(check.out.text).toBe('ok: 4 services\n'); // setup, base, web.0, web.1

    host = await openStackHost({ file: join(temp.dir, 'hearth.yaml'), control: false });
    const supervisor = host.supervisor;
    const webs = await waitFor(
      () => {
        const services = supervisor.snapshot().services.filter((s) => s.name.startsWith('web.'));
        return services.length === 2 && services.every((s) => s.state === 'RUNNING') ? services : null;
      },
      { timeoutMs: 30_000, what: 'both web replicas RUNNING (healthy)' },
    );
    expect(existsSync(join(temp.dir, 'setup.done'))).toBe(true); // the job they depend on ran first
    const [p0, p1] = webs.map((s) => s.ports.http!);
    expect(p0).not.toBe(p1);
    const get = async (port: number): Promise<string> => (await fetch(`http://127.0.0.1:${port}/`)).text();
    // vars template, {{.PC_REPLICA_NUM}} in env and as $PC_REPLICA_NUM, env_file of the extended base, global env.
    expect(await get(p0!)).toBe('hearth i0 0 yes 1');
    expect(await get(p1!)).toBe('hearth i1 1 yes 1');
    // $$HOME reached the shell as $HOME (left as $$, the shell would have printed its pid).
    await waitFor(() => supervisor.snapshot().logs.some((l) => l.service === 'web.1' && l.text === `replica 1 home ${process.env.HOME}`), { what: 'web.1 echo' });
  });
});
