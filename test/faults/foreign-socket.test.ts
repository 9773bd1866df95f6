// Attack: another local user claims the fallback socket folder first. A stack whose path is too long
// for a Unix socket keeps its control socket in a short folder elsewhere; where that is the shared temp
// folder (`/tmp/hearth-<uid>`, no $XDG_RUNTIME_DIR), a second user (a real one, made for the test) can
// create it before the developer and listen there with a fake socket. Then `hearth up` could not start,
// and `hearth status` / `hearth attach` would talk to the fake one, sending it what the developer
// types. Now: `up` starts anyway (in a folder of the developer's home), and no client sends a single
// byte to the fake socket, while the real instance gets the typed input.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectControl } from '../../electron/control/client';
import { probeControlSocket } from '../../electron/control/probe';
import { UntrustedSocketError } from '../../electron/control/secure-dir';
import { fallbackSocketDir, MAX_SOCKET_PATH_BYTES } from '../../electron/control/socket-path';
import { hearthBin } from '../helpers/hearth-bin';
import { secondUser } from '../helpers/second-user';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { REPO, killMarked, uniqueMark } from './kit';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * The attacker's fake instance, as the second user: claims `<tmp>/hearth-<uid>/` and listens on the
 * socket the stack would use. It says hello like Hearth, answers `status`, and records every byte.
 */
const FAKE = `
const fs = require('fs'), net = require('net'), path = require('path');
const [folder, socket, stackFile] = process.argv.slice(1);
fs.mkdirSync(folder, { mode: 0o777 }); fs.chmodSync(folder, 0o777);
const server = net.createServer((c) => {
  console.log('CONNECTION');
  c.write(JSON.stringify({ type: 'hello', protocol: 1, pid: process.pid, file: stackFile }) + '\\n');
  c.on('data', (d) => {
    console.log('RECEIVED ' + JSON.stringify(d.toString()));
    for (const line of d.toString().split('\\n').filter(Boolean)) {
      const f = JSON.parse(line);
      if (f.type === 'invoke') c.write(JSON.stringify({ type: 'result', id: f.id, ok: true, result: f.command === 'status' ? { stack: { name: 'fake', file: stackFile, config_errors: [] }, services: [{ name: 'api', pid: 4242, state: 'RUNNING' }] } : [] }) + '\\n');
    }
  });
});
server.listen(socket, () => { fs.chmodSync(socket, 0o777); console.log('LISTENING'); });
`;

describe('a fallback socket folder claimed by another user', () => {
  it('does not stop `hearth up`, and no client connects to the fake socket in it', async (ctx) => {
    const attacker = secondUser(ctx, 'socket');
    const { dir: root, cleanup } = makeTempDir('hk-');
    cleanups.push(cleanup);
    // The developer's environment: a shared temp folder (sticky, everyone may write), no runtime folder.
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    chmodSync(root, 0o755);
    const home = join(root, 'home');
    mkdirSync(home, { mode: 0o700 });
    const env = { TMPDIR: tmp, HOME: home, XDG_RUNTIME_DIR: '' };
    // A stack path too long for .hearth/control.sock.
    const stackDir = join(root, 'stack', 'x'.repeat(MAX_SOCKET_PATH_BYTES));
    mkdirSync(stackDir, { recursive: true });
    const mark = uniqueMark('socket');
    cleanups.push(() => killMarked(mark));
    const file = join(stackDir, 'hearth.yaml');
    writeFileSync(file, `services:\n  api: { cmd: exec cat, env: { HEARTH_TEST_MARK: "${mark}" } }\n`);

    const claimed = join(tmp, 'hearth-0');
    const digest = createHash('sha256').update(stackDir).digest('hex').slice(0, 16);
    const fake = attacker.spawnNode(FAKE, [claimed, join(claimed, `${digest}.sock`), file]);
    let heard = '';
    fake.stdout!.on('data', (d: Buffer) => (heard += d.toString()));
    fake.stderr!.on('data', (d: Buffer) => (heard += d.toString()));
    await waitFor(() => heard.includes('LISTENING'), { what: 'the fake socket listening', timeoutMs: 10_000 });

    const up = await hearthBin(file, ['up', '-d'], env);
    expect(up.code, up.err + up.out).toBe(0);
    cleanups.push(async () => void (await hearthBin(file, ['down'], env)));
    // The instance listens in the developer's home instead.
    expect(fallbackSocketDir({ ...env, HOME: home })).toBe(join(home, '.cache', 'hearth', 'run'));

    const status = await hearthBin(file, ['status', '--json'], env);
    expect(status.code, status.err).toBe(0);
    const real = JSON.parse(status.out) as { services: Array<{ name: string; pid: number; state: string }> };
    expect(real.services[0]!.pid).not.toBe(4242);

    // `hearth attach api`, typing a line (cat echoes it back), then Ctrl-D (end of input).
    const attach = spawn(process.execPath, [join(REPO, 'bin', 'hearth.js'), '-f', file, 'attach', 'api'], {
      cwd: stackDir,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let attached = '';
    attach.stderr.on('data', (d: Buffer) => (attached += d.toString()));
    attach.stdout.on('data', (d: Buffer) => (attached += d.toString()));
    await waitFor(() => attached.includes('attached to api'), { what: 'attach to say it is attached', timeoutMs: 15_000 });
    attach.stdin.write('typed secret\n');
    await waitFor(() => attached.includes('typed secret'), { what: 'the typed line echoed back by the real service', timeoutMs: 15_000 });
    attach.stdin.end();
    await new Promise((resolve) => attach.once('exit', resolve));

    const down = await hearthBin(file, ['down'], env);
    expect(down.code, down.err).toBe(0);
    expect(heard).not.toContain('CONNECTION');
    expect(heard).not.toContain('RECEIVED');
  });
});

describe('a client given another user\'s socket', () => {
  it('refuses before connecting: not one byte reaches it', async (ctx) => {
    const attacker = secondUser(ctx, 'client');
    const { dir: root, cleanup } = makeTempDir('hc-');
    cleanups.push(cleanup);
    chmodSync(root, 0o1777);
    const folder = join(root, 'claimed');
    const socket = join(folder, 'x.sock');
    const fake = attacker.spawnNode(FAKE, [folder, socket, '/nowhere/hearth.yaml']);
    let heard = '';
    fake.stdout!.on('data', (d: Buffer) => (heard += d.toString()));
    await waitFor(() => heard.includes('LISTENING'), { what: 'the fake socket listening', timeoutMs: 10_000 });

    const refused = /refusing to talk to the control socket .*claimed belongs to another user/;
    await expect(connectControl(socket)).rejects.toThrow(UntrustedSocketError);
    await expect(connectControl(socket)).rejects.toThrow(refused);
    await expect(probeControlSocket(socket)).rejects.toThrow(refused);
    expect(heard).not.toContain('CONNECTION');
  });
});
