// The examples/debian-stack model, run as a user would: PostgreSQL with its initdb and migration jobs,
// Redis, the app and nginx in front, through `hearth up`, `hearth wait` and a request through nginx; then a
// clean stop (Postgres says it shut down). As a dedicated user when the tests run as root.
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killMarked, markedProcesses, uniqueMark } from '../faults/kit';
import { waitFor } from '../helpers/wait-for';
import { PG_BIN, buildCliOnce, hearthAs, killUserProcesses, needFiles, outputMatching, ownedDir, serverUser, type ServerUser, type UserHearth } from './server-kit';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'debian-stack');
let mark = '';
let user: ServerUser | null = null;
const hearths: UserHearth[] = [];
afterEach(async () => {
  for (const h of hearths.splice(0)) if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
  killMarked(mark);
  await waitFor(() => markedProcesses(mark).length === 0, { what: 'nothing of the stack left' });
  if (user) await killUserProcesses(user);
});

function fetchText(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('examples/debian-stack', () => {
  it('comes up (initdb, postgres, migrate, redis, app, nginx), serves through nginx, and stops cleanly', { timeout: 120_000 }, async (ctx) => {
    needFiles(ctx, [join(PG_BIN, 'postgres'), '/usr/bin/psql', '/usr/bin/redis-server', '/usr/sbin/nginx']);
    user = serverUser(ctx);
    buildCliOnce();
    mark = uniqueMark('debian-stack');
    const dir = ownedDir(user, EXAMPLE);
    const file = join(dir, 'hearth.yaml');
    // The mark lets the test find (and, should it fail, clean up) every process of the stack.
    const env = { HEARTH_TEST_MARK: mark };
    const up = hearthAs(user, dir, ['-f', file, 'up'], env);
    hearths.push(up);
    await outputMatching(up, /started pid/, 'the instance up');
    const wait = hearthAs(user, dir, ['-f', file, 'wait', '--timeout', '90s'], env);
    hearths.push(wait);
    expect(await wait.exited, wait.output()).toBe(0);
    const ports = JSON.parse(readFileSync(join(dir, '.hearth', 'ports.json'), 'utf8')) as { ports: Record<string, number> };
    const web = ports.ports['web.http']!;
    expect(await fetchText(web)).toEqual({ status: 200, body: 'visit 1 (redis hits: 1)\n' });
    expect(await fetchText(web)).toEqual({ status: 200, body: 'visit 2 (redis hits: 2)\n' });
    // nginx's access log, written to /dev/stdout, is web's output.
    await outputMatching(up, /web +\| 127\.0\.0\.1 - - \[[^\]]+\] "GET \/ HTTP\/1\.[01]" 200/, 'the access log line');
    expect(up.output()).toMatch(/migrate: exited with code 0: finished/);

    up.child.kill('SIGTERM');
    expect(await up.exited, up.output().slice(-3000)).toBe(0);
    expect(up.output()).toMatch(/db +! .*LOG: +database system is shut down/);
    expect(up.output()).not.toMatch(/FATAL/); // pg_isready as user app: no failed logins in the log
    expect(up.output()).not.toMatch(/SIGKILL to/);
  });
});
