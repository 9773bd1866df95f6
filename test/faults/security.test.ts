// Fault 10: who can drive a running stack. The control socket is 0600 inside a 0700 folder, and each
// of the two layers alone keeps another user out (checked by connecting as `nobody` when the tests run
// as root). `hearth serve` (the real CLI, real supervisor) rejects missing/wrong sessions, foreign Host
// and Origin headers and non-JSON bodies, listens on loopback only, and prints its one-time login code
// once, on the URL line, and nowhere else: not in its other output, the stack's files, or the services'
// environment; the session it trades the code for appears nowhere at all.
// Unit-level cases: test/control/server.test.ts, test/web/{server,auth,ws}.test.ts.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStackHost, type StackHost } from '../../electron/host/stack-host';
import { waitFor } from '../helpers/wait-for';
import { httpGet, login, postJson, send } from '../web/clients';
import { killMarked, markedProcesses, startCli, uniqueMark, writeStack, type HostProcess, type StackDir } from './kit';

let stack: StackDir | null = null;
let host: StackHost | null = null;
let cli: HostProcess | null = null;
let mark = '';
afterEach(async () => {
  await host?.close();
  host = null;
  await cli?.stop();
  cli = null;
  if (mark) killMarked(mark);
  stack?.cleanup();
  stack = null;
});

const NOBODY = 65534;
const CONNECT = `const s = require('net').connect(process.argv[1]);
s.on('connect', () => { console.log('CONNECTED'); process.exit(0); });
s.on('error', (e) => { console.log('ERROR ' + e.code); process.exit(0); });`;

/** What happens when user `nobody` connects to the socket: 'CONNECTED' or 'ERROR <code>'. */
function connectAsNobody(socket: string): string {
  const r = spawnSync(process.execPath, ['-e', CONNECT, socket], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 10_000 });
  return (r.stdout ?? '').trim() || `spawn failed: ${r.error?.message ?? r.stderr}`;
}

describe('control socket', () => {
  it('is 0600 in a 0700 folder, and each layer alone keeps another user out', async (ctx) => {
    stack = writeStack('services:\n  api: { cmd: exec sleep 1000 }\n');
    host = await openStackHost({ file: stack.file, services: [] });
    const socket = host.controlSocket;
    const folder = join(socket, '..');
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);

    if (process.getuid?.() !== 0) ctx.skip(true, 'connecting as another user needs root here');
    // Open everything above .hearth, so only Hearth's own modes stand in the way.
    chmodSync(stack.dir, 0o755);
    expect(connectAsNobody(socket)).toBe('ERROR EACCES');
    chmodSync(folder, 0o755); // the folder layer gone: the socket's own mode still refuses
    expect(connectAsNobody(socket)).toBe('ERROR EACCES');
    chmodSync(socket, 0o666); // both gone: proves the check above can see a connection at all
    expect(connectAsNobody(socket)).toBe('CONNECTED');
  });
});

describe('hearth serve', () => {
  it('rejects bad requests, listens on loopback only, and shows its login code only on the URL line', async () => {
    mark = uniqueMark('serve');
    stack = writeStack(`services:\n  api: { cmd: exec sleep 1000, env: { HEARTH_TEST_MARK: "${mark}" } }\n`);
    const started = await startCli(['-f', stack.file, 'serve'], (out) => {
      const m = /Hearth UI: (http:\/\/127\.0\.0\.1:(\d+)\/#code=([A-Za-z0-9_-]+))\n/.exec(out);
      return m ? { url: m[1]!, port: Number(m[2]), code: m[3]! } : undefined;
    });
    cli = started;
    const { port, code } = started.ready;
    const token = await login(port, started.ready.url);
    const bearer = { Authorization: `Bearer ${token}` };
    const origin = `http://127.0.0.1:${port}`;
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    expect((await httpGet(port, '/api/status')).status).toBe(401);
    expect((await httpGet(port, '/api/status', { Authorization: `Bearer ${wrong}` })).status).toBe(401);
    expect((await httpGet(port, '/api/status', { Authorization: `Bearer ${code}` })).status).toBe(401);
    expect((await httpGet(port, `/api/status?token=${token}`)).status).toBe(401);
    expect((await httpGet(port, '/api/status', { ...bearer, Host: `evil.example:${port}` })).status).toBe(403);
    expect((await postJson(port, '/api/command/stop', { services: ['api'] }, { ...bearer, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await send(port, 'POST', '/api/command/stop', { ...bearer, Origin: origin, 'Content-Type': 'text/plain' }, 'stop api')).status).toBe(415);
    expect((await send(port, 'POST', '/api/command/stop', { ...bearer, Origin: origin, 'Content-Type': 'application/json' }, '{"services": [')).status).toBe(400);
    // None of that did anything; the right request does.
    expect(markedProcesses(mark)).toHaveLength(1);
    const ok = await postJson(port, '/api/command/stop', { services: ['api'] }, { ...bearer, Origin: origin });
    expect(ok.status).toBe(200);
    await waitFor(() => markedProcesses(mark).length === 0, { what: 'api stopped through the API' });
    await postJson(port, '/api/command/start', { services: ['api'] }, bearer);
    const [service] = await waitFor(() => {
      const p = markedProcesses(mark);
      return p.length === 1 ? p : undefined;
    });

    for (const address of externalAddresses()) expect(await tcpConnect(address, port), address).toBe('ECONNREFUSED');
    expect(await tcpConnect('::1', port)).not.toBe('connected');

    const servicePid = service!.pid;
    const environ = readFileSync(`/proc/${servicePid}/environ`, 'utf8');
    expect(environ.includes(token)).toBe(false);
    expect(environ.includes(code)).toBe(false);

    const exitCode = await started.stop();
    expect(exitCode).toBe(0);
    const lines = started.output().split('\n');
    expect(lines.filter((l) => l.includes(code))).toEqual([`Hearth UI: ${started.ready.url}`]);
    expect(lines.filter((l) => l.includes(token))).toEqual([]);
    expect(lines.some((l) => /a browser tab logged in/.test(l)), started.output()).toBe(true);
    expect(lines.some((l) => /\bapi\b.*STOPPED/.test(l)), started.output()).toBe(true);
    expect(filesContaining(stack.dir, token)).toEqual([]);
    expect(filesContaining(stack.dir, code)).toEqual([]);
  });
});

function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);
}

function tcpConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** Files under `dir` whose content contains `needle` (sockets and the like skipped). */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}
