// Procfile import: parsing, PORT templating, and a real Procfile that imports, passes `hearth check`
// and runs under a real StackHost with each process on its own port.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { openStackHost, type StackHost } from '../../../electron/host/stack-host';
import { loadStackFile } from '../../../electron/supervisor/config/load';
import { parseProcfile, procfileToStack, templatePortUses } from '../../../electron/tools/import/procfile';
import { captureIo } from '../../cli/capture-io';
import { makeTempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';

const FIXTURE = join(import.meta.dirname, '../fixtures/Procfile');

describe('parseProcfile', () => {
  it('reads name: command lines, skips comments and blank lines, reports the rest', () => {
    const { entries, notes } = parseProcfile('# comment\n\nweb: bundle exec puma -p $PORT\r\nworker:sidekiq\nnot a process\nempty:\n');
    expect(entries).toEqual([
      { line: 3, name: 'web', command: 'bundle exec puma -p $PORT' },
      { line: 4, name: 'worker', command: 'sidekiq' },
    ]);
    expect(notes).toEqual([
      { where: 'line 5', message: 'not "name: command", skipped: not a process' },
      { where: 'line 6', message: 'process "empty" has no command, skipped' },
    ]);
  });
});

describe('templatePortUses', () => {
  it('turns $PORT, ${PORT} and ${PORT:-N} into the http port, keeps the defaults, and leaves other variables alone', () => {
    expect(templatePortUses('serve -p $PORT --x=${PORT} ${PORT:-5000} ${PORT-1}')).toEqual({
      cmd: 'serve -p {{thermos.ports[http]}} --x={{thermos.ports[http]}} {{thermos.ports[http]}} {{thermos.ports[http]}}',
      uses: 4,
      defaults: ['5000', '1'],
    });
    expect(templatePortUses('echo $PORTAL \\$PORT $DATABASE_URL $HOME')).toEqual({ cmd: 'echo $PORTAL \\$PORT $DATABASE_URL $HOME', uses: 0, defaults: [] });
  });
});

describe('what Procfile runners mean', () => {
  it('keeps ${PORT:-3000}\'s default as the preferred port', () => {
    const { stack, notes } = procfileToStack('web: rails s -p ${PORT:-3000}\nlegacy: serve ${PORT:-80} ${PORT:-81}\nother: x ${PORT:-abc}\n');
    expect(stack.services.web!.ports).toEqual({ http: 3000 });
    expect(stack.services.legacy!.ports).toEqual({ http: 80 });
    expect(stack.services.other!.ports).toEqual({ http: null });
    expect(notes.map((n) => `${n.where}: ${n.message}`)).toEqual(['legacy: several PORT defaults (80, 81); the port prefers 80', 'other: a PORT default is not a port number; not used']);
  });

  it('makes Heroku\'s release a job that runs first, without a port of its own', () => {
    const { stack } = procfileToStack('release: bin/rails db:migrate\nweb: bin/rails s -p $PORT\nworker: sidekiq\n');
    expect(stack.services.release).toMatchObject({ service: false, cmd: 'bin/rails db:migrate' });
    expect(stack.services.release!.ports).toBeUndefined();
    expect(stack.services.web!.depends_on).toEqual({ release: 'completed' });
    expect(stack.services.worker!.depends_on).toEqual({ release: 'completed' });
  });

  it('stops with SIGTERM as foreman and Heroku do, and with SIGINT (or OVERMIND_STOP_SIGNALS) where .overmind.env says overmind runs it', () => {
    const files: Record<string, string> = { '/p/.overmind.env': 'OVERMIND_STOP_SIGNALS=worker=TERM,web=KILL\n' };
    const readFile = (path: string): string => {
      if (path in files) return files[path]!;
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    const text = 'web: serve\nworker: work\nclock: tick\n';
    const foreman = procfileToStack(text, 'Procfile', { dir: '/elsewhere', readFile }).stack;
    expect(Object.values(foreman.services).map((s) => s.lifecycle)).toEqual([undefined, undefined, undefined]);
    expect(foreman.header.join('\n')).toContain('Stopped with SIGTERM, as foreman and Heroku stop them');
    const overmind = procfileToStack(text, 'Procfile', { dir: '/p', readFile });
    expect(overmind.stack.services.web!.lifecycle).toEqual({ stop_signal: 'SIGINT' }); // KILL is no stop signal
    expect(overmind.stack.services.worker!.lifecycle).toBeUndefined(); // TERM, Hearth's default
    expect(overmind.stack.services.clock!.lifecycle).toEqual({ stop_signal: 'SIGINT' });
    expect(overmind.notes.map((n) => n.where)).toEqual(['OVERMIND_STOP_SIGNALS']);
    files['/q/.env'] = 'OVERMIND_PORT=3000\n';
    expect(procfileToStack(text, 'Procfile', { dir: '/q', readFile }).stack.services.web!.lifecycle).toEqual({ stop_signal: 'SIGINT' });
  });
});

describe('procfileToStack', () => {
  it('gives every process its own http port, renames invalid names, and reports what was skipped', () => {
    const { stack, notes } = procfileToStack(readFileSync(FIXTURE, 'utf8'));
    expect(Object.keys(stack.services)).toEqual(['web', 'api', 'worker', 'bad_name-2']);
    for (const svc of Object.values(stack.services)) expect(svc.ports).toEqual({ http: null });
    expect(stack.services.api!.cmd).toMatch(/ \{\{thermos\.ports\[http\]\}\}$/);
    expect(stack.services['bad_name-2']!.cmd).toContain('--port={{thermos.ports[http]}}');
    expect(stack.services.worker!.cmd).toContain("process.env.GREETING || 'hi'");
    expect(notes).toEqual([
      { where: 'line 7', message: 'not "name: command", skipped: this line is not a process' },
      { where: 'line 6', message: 'process "Bad_Name.2" renamed to service "bad_name-2" (Hearth service names)' },
    ]);
  });
});

describe('hearth init --from Procfile (real files, real processes)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let host: StackHost | null = null;
  beforeEach(() => {
    temp = makeTempDir();
    copyFileSync(FIXTURE, join(temp.dir, 'Procfile'));
  });
  afterEach(async () => {
    await host?.close();
    host = null;
    temp.cleanup();
  });

  it('imports, passes hearth check, and runs every process on its own PORT', async () => {
    const io = captureIo(temp.dir);
    expect(await main(['init', '--from', 'Procfile'], io)).toBe(0);
    expect(io.out.text).toBe('wrote hearth.yaml: 4 services from Procfile (procfile)\n');
    expect(io.err.text).toContain('not mapped from Procfile (2):\n  - line 7: not "name: command"');
    const text = readFileSync(join(temp.dir, 'hearth.yaml'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/hearth\.schema\.json$/);
    expect(text).toContain('# Procfile line 2');

    const check = captureIo(temp.dir);
    expect(await main(['check'], check)).toBe(0);
    expect(check.out.text).toBe('ok: 4 services\n');
    const loaded = await loadStackFile(join(temp.dir, 'hearth.yaml'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(loaded.stack.services.api!.ports).toEqual({ http: null });
    expect(loaded.stack.services.web!.health_check).toBeNull();

    host = await openStackHost({ file: join(temp.dir, 'hearth.yaml'), control: false });
    const supervisor = host.supervisor;
    const running = await waitFor(
      () => {
        const services = supervisor.snapshot().services;
        return services.every((s) => s.state === 'RUNNING') ? services : null;
      },
      { timeoutMs: 20_000, what: 'all imported services RUNNING' },
    );
    const byName = Object.fromEntries(running.map((s) => [s.name, s]));
    const apiPort = byName.api!.ports.http!;
    const webPort = byName.web!.ports.http!;
    expect(apiPort).toBeGreaterThan(0);
    expect(webPort).not.toBe(apiPort);
    // $PORT in the command was substituted with the allocated port...
    expect(byName.api!.cmd).toMatch(new RegExp(` ${apiPort}$`));
    expect(byName['bad_name-2']!.cmd).toContain(`--port=${byName['bad_name-2']!.ports.http}`);
    // ...and both the templated and the PORT-from-environment process serve on their port.
    const get = async (port: number): Promise<string | null> => {
      try {
        return await (await fetch(`http://127.0.0.1:${port}/`)).text();
      } catch {
        return null;
      }
    };
    expect(await waitFor(() => get(apiPort), { what: 'api answering' })).toBe('api');
    expect(await waitFor(() => get(webPort), { what: 'web answering on $PORT from the environment' })).toBe('web');
    await waitFor(() => supervisor.snapshot().logs.some((l) => l.service === 'worker' && l.text.includes('worker up hi')), { what: 'worker output' });
  });

  it('refuses to overwrite an existing stack file without --force', async () => {
    expect(await main(['init', '--from', 'Procfile'], captureIo(temp.dir))).toBe(0);
    const again = captureIo(temp.dir);
    expect(await main(['init', '--from', 'Procfile'], again)).toBe(1);
    expect(again.err.text).toContain('hearth.yaml already exists (use --force to overwrite it)');
    expect(await main(['init', '--from', 'Procfile', '--force'], captureIo(temp.dir))).toBe(0);
  });
});
