// nginx in the foreground under Hearth, with the access log most container setups use: `access_log
// /dev/stdout;`. nginx opens that path itself, which only works when its stdout is a real pipe (a
// socketpair gives ENXIO, "No such device or address", and nginx crash-loops). Real nginx from Debian.
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from '../supervisor/harness';
import { needFiles } from './server-kit';

const CONF = `worker_processes 1;
pid nginx.pid;
error_log stderr notice;
events { worker_connections 64; }
http {
  access_log /dev/stdout;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  server {
    listen 127.0.0.1:@PORT@;
    location / { return 200 "hello from nginx\\n"; }
  }
}
`;

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('nginx under hearth', () => {
  it('runs with access_log /dev/stdout: each request is a line of its output, and it never crash-loops', async (ctx) => {
    needFiles(ctx, ['/usr/sbin/nginx']);
    stack = await runStack(
      `services:
  web:
    cmd: mkdir -p tmp && sed "s/@PORT@/{{thermos.ports[http]}}/" nginx.conf.in > nginx.conf && exec nginx -p . -c nginx.conf -g "daemon off;"
    ports: { http: ~ }
    health_check: { tcp: { port: http }, initial_interval_secs: 2, interval_secs: 0.2 }
    lifecycle: { stop_signal: SIGQUIT }
`,
      { files: { 'nginx.conf.in': CONF } },
    );
    const running = await stack.waitState('web', 'RUNNING', 20_000);
    expect(await fetchText(running.ports.http!, '/hello')).toBe('hello from nginx\n');
    const line = await waitFor(() => stack!.lines.find((l) => l.service === 'web' && l.stream === 'stdout' && l.text.includes('"GET /hello HTTP/1.1" 200')), { what: 'the access log line' });
    expect(line.text).toMatch(/^127\.0\.0\.1 - - \[/);
    expect(stack.status('web').restarts).toBe(0);
    expect(stack.lines.some((l) => /No such device or address/.test(l.text))).toBe(false);
    // SIGQUIT: nginx's graceful shutdown; its log says so on stderr.
    await stack.sup.invoke('stop', { services: ['web'] });
    expect(stack.status('web').last_exit).toMatchObject({ code: 0 });
  });
});
