import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_DEFAULTS } from '../../../electron/supervisor/config/defaults';
import { loadStackFile, parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';
import { makeTempDir } from '../../helpers/temp-dir';

const FILE = '/stacks/shop/hearth.yaml';

function load(text: string, file = FILE): StackConfig {
  const r = parseStack(text, file);
  if (!r.ok) throw new Error(`unexpected issues: ${JSON.stringify(r.errors, null, 1)}`);
  return r.stack;
}

describe('parseStack: defaults and precedence', () => {
  it('fills every default from one place', () => {
    const stack = load('services:\n  api:\n    cmd: node server.js\n');
    expect(stack).toMatchObject({ name: 'shop', file: FILE, dir: '/stacks/shop', port_range: [20000, 29999], snooze_warn_after_secs: 1800 });
    const api = stack.services.api!;
    expect(api).toMatchObject({
      name: 'api',
      cmd: 'node server.js',
      cwd: '.',
      env: {},
      depends_on: {},
      ports: {},
      health_check: null,
      lifecycle: { http: null, graceful_shutdown_wait_secs: 5, stop_signal: 'SIGTERM', shutdown_wait_secs: 5 },
      service: true,
      max_failures: 1,
      min_duration: 5,
      max_backoff_secs: 60,
      logs: { max_bytes: 10 * 1024 * 1024, keep: 3, ring_lines: 5000, ring_bytes: 4 * 1024 * 1024, max_line_bytes: 64 * 1024 },
    });
    expect(stack.logs).toEqual({ total_ring_bytes: 64 * 1024 * 1024 });
    expect(api.fingerprint).toMatch(/^[0-9a-f]{40}$/);
  });

  it('kill_mode is group unless the stack defaults or the service say mixed; anything else is an error at its line', () => {
    const stack = load('defaults:\n  lifecycle: { kill_mode: mixed }\nservices:\n  pg: { cmd: x }\n  sh: { cmd: y, lifecycle: { kill_mode: group } }\n');
    expect(stack.services.pg!.lifecycle.kill_mode).toBe('mixed');
    expect(stack.services.sh!.lifecycle.kill_mode).toBe('group');
    expect(load('services:\n  a: { cmd: x }\n').services.a!.lifecycle.kill_mode).toBe(BUILTIN_DEFAULTS.lifecycle.kill_mode);
    const bad = parseStack('services:\n  a:\n    cmd: x\n    lifecycle: { kill_mode: process }\n', FILE);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatchObject({ line: 4, path: 'services.a.lifecycle.kill_mode' });
  });

  it('gives every service the stack\'s shell: (-c unless it names its flag); changing it restarts them (fingerprint)', () => {
    expect(load('services:\n  api: { cmd: x }\n').services.api!.shell).toBeNull();
    const bash = load('shell: { shell_command: bash }\nservices:\n  api: { cmd: x }\n  web: { cmd: y }\n');
    expect(bash.services.api!.shell).toEqual({ shell_command: 'bash', shell_argument: BUILTIN_DEFAULTS.shell_argument });
    expect(bash.services.web!.shell).toEqual({ shell_command: 'bash', shell_argument: '-c' });
    const pwsh = load('shell: { shell_command: pwsh.exe, shell_argument: -Command }\nservices:\n  api: { cmd: x }\n');
    expect(pwsh.services.api!.shell).toEqual({ shell_command: 'pwsh.exe', shell_argument: '-Command' });
    expect(pwsh.services.api!.fingerprint).not.toBe(bash.services.api!.fingerprint);
  });

  it('applies built-in < stack defaults < service, field by field', () => {
    const stack = load(`
name: custom
port_range: [30000, 30100]
snooze_warn_after_secs: 60
defaults:
  health_check: { interval_secs: 2, timeout_secs: 0.5 }
  max_failures: 4
  min_duration: 1
  lifecycle: { shutdown_wait_secs: 2, stop_signal: SIGINT }
  logs: { keep: 1, ring_lines: 100, ring_bytes: 1MiB }
logs: { total_ring_bytes: 16MB }
services:
  a:
    cmd: a
    health_check: { tcp: { port: main }, interval_secs: 0.1 }
    logs: { ring_lines: 7 }
  b:
    cmd: b
    max_failures: 9
    max_backoff_secs: 3
    health_check: { shell: { shell_command: "true" } }
    lifecycle: { graceful_shutdown_wait_secs: 0, stop_signal: SIGQUIT }
`);
    expect(stack.name).toBe('custom');
    expect(stack.port_range).toEqual([30000, 30100]);
    expect(stack.snooze_warn_after_secs).toBe(60);
    const { a, b } = stack.services;
    expect(a!.health_check).toEqual({
      probe: { kind: 'tcp', port: 'main' },
      initial_interval_secs: 15,
      interval_secs: 0.1,
      max_consecutive_failures: 0,
      min_consecutive_successes: 1,
      timeout_secs: 0.5,
    });
    expect(a!.logs).toEqual({ max_bytes: 10485760, keep: 1, ring_lines: 7, ring_bytes: 1048576, max_line_bytes: 65536 });
    expect(b!.logs.ring_bytes).toBe(1048576);
    expect(stack.logs.total_ring_bytes).toBe(16 * 1024 * 1024);
    expect(a!).toMatchObject({ max_failures: 4, min_duration: 1, max_backoff_secs: 60 });
    expect(a!.lifecycle).toEqual({ http: null, graceful_shutdown_wait_secs: 5, stop_signal: 'SIGINT', shutdown_wait_secs: 2, kill_mode: 'group' });
    expect(b!.health_check).toMatchObject({ probe: { kind: 'shell', shell_command: 'true' }, interval_secs: 2 });
    expect(b!).toMatchObject({ max_failures: 9, min_duration: 1, max_backoff_secs: 3 });
    expect(b!.lifecycle).toEqual({ http: null, graceful_shutdown_wait_secs: 0, stop_signal: 'SIGQUIT', shutdown_wait_secs: 2, kill_mode: 'group' });
  });

  it('does not let one resolved service share mutable default objects with another', () => {
    const { a, b } = load('services:\n  a: { cmd: a }\n  b: { cmd: b }\n').services;
    expect(a!.logs).not.toBe(b!.logs);
    expect(a!.logs).not.toBe(BUILTIN_DEFAULTS.logs);
  });

  it('fills http check defaults, keeps an explicit null expected_response', () => {
    const stack = load(`
services:
  a:
    cmd: a {{thermos.ports[http]}}
    health_check: { http: { port: http } }
  b:
    cmd: b
    health_check: { http: { port: web, endpoint: /ready, expected_response: null, expected_response_code: 204 } }
`);
    expect(stack.services.a!.health_check!.probe).toEqual({
      kind: 'http',
      port: 'http',
      endpoint: '/health',
      expected_response: 'ok',
      expected_response_code: 0,
    });
    expect(stack.services.b!.health_check!.probe).toEqual({
      kind: 'http',
      port: 'web',
      endpoint: '/ready',
      expected_response: null,
      expected_response_code: 204,
    });
  });

  it('fills lifecycle.http from {} with the health port and Aurora endpoints', () => {
    const stack = load('services:\n  a:\n    cmd: a\n    ports: { health: 9000 }\n    lifecycle: { http: {} }\n');
    expect(stack.services.a!.lifecycle.http).toEqual({
      port: 'health',
      graceful_shutdown_endpoint: '/quitquitquit',
      shutdown_endpoint: '/abortabortabort',
    });
  });

  it('keeps services in file order and scalar env values as written', () => {
    const stack = load('services:\n  zed: { cmd: z, env: { N: 3, B: True, S: x, MODE: 0755, V: 1.10, E: 1e3 } }\n  alpha: { cmd: a }\n  mid: { cmd: m }\n');
    expect(Object.keys(stack.services)).toEqual(['zed', 'alpha', 'mid']);
    // As written, not as YAML would read them as numbers.
    expect(stack.services.zed!.env).toEqual({ N: '3', B: 'True', S: 'x', MODE: '0755', V: '1.10', E: '1e3' });
  });

  it('marks jobs with service: false', () => {
    const stack = load('services:\n  migrate: { cmd: ./migrate.sh, service: false, max_failures: 3, min_duration: 5 }\n');
    expect(stack.services.migrate).toMatchObject({ service: false, max_failures: 3, min_duration: 5 });
  });
});

describe('parseStack: depends_on', () => {
  it('list form means healthy; map form takes a condition or { condition }', () => {
    const stack = load(`
services:
  db: { cmd: db }
  cache: { cmd: cache }
  migrate: { cmd: m, service: false }
  api:
    cmd: api
    depends_on: [db, cache]
  worker:
    cmd: w
    depends_on: { db: { condition: started }, migrate: { condition: completed }, cache: healthy }
`);
    expect(stack.services.api!.depends_on).toEqual({ db: 'healthy', cache: 'healthy' });
    expect(stack.services.worker!.depends_on).toEqual({ db: 'started', migrate: 'completed', cache: 'healthy' });
  });
});

describe('parseStack: ports', () => {
  it('gives a service owning a `health` port an implicit HTTP check (Aurora)', () => {
    const stack = load(`
defaults:
  health_check: { interval_secs: 0.1 }
services:
  a: { cmd: "serve --health {{thermos.ports[health]}}" }
  b: { cmd: b, ports: { health: ~ } }
  c: { cmd: c, ports: { health: 8081 }, health_check: null }
  d: { cmd: d, ports: { health: 8082 }, health_check: { min_consecutive_successes: 2 } }
`);
    const implicit = {
      probe: { kind: 'http', port: 'health', endpoint: '/health', expected_response: 'ok', expected_response_code: 0 },
      initial_interval_secs: 15,
      interval_secs: 0.1,
      max_consecutive_failures: 0,
      min_consecutive_successes: 1,
      timeout_secs: 1,
    };
    expect(stack.services.a!.health_check).toEqual(implicit);
    expect(stack.services.b!.health_check).toEqual(implicit);
    expect(stack.services.c!.health_check).toBeNull();
    expect(stack.services.d!.health_check).toEqual({ ...implicit, min_consecutive_successes: 2 });
  });

  it('collects port names from every template, ports:, health and lifecycle', () => {
    const stack = load(`
services:
  db:
    cmd: postgres -p {{thermos.ports[pg]}}
    health_check: { tcp: { port: pg } }
  api:
    cmd: node server.js --port {{ thermos.ports[http] }}
    cwd: ./data-{{thermos.ports[dir]}}
    env:
      DATABASE_URL: postgres://127.0.0.1:{{services.db.ports[pg]}}/shop
      METRICS: "{{thermos.ports[metrics]}}"
    ports: { admin: 9000, http: 8080, any: null }
    health_check: { shell: { shell_command: "curl -fs localhost:{{thermos.ports[ready]}}/ready" } }
    lifecycle: { http: { port: control } }
`);
    expect(stack.services.db!.ports).toEqual({ pg: null });
    expect(stack.services.api!.ports).toEqual({
      admin: 9000,
      http: 8080,
      any: null,
      dir: null,
      metrics: null,
      ready: null,
      control: null,
    });
    // cwd stays a relative template; it is rendered and resolved when spawning.
    expect(stack.services.api!.cwd).toBe('./data-{{thermos.ports[dir]}}');
  });

  it('owns `health` for an http/tcp probe without a port', () => {
    const stack = load('services:\n  a: { cmd: a, health_check: { tcp: {} } }\n');
    expect(stack.services.a!.ports).toEqual({ health: null });
    expect(stack.services.a!.health_check!.probe).toEqual({ kind: 'tcp', port: 'health' });
  });
});

describe('loadStackFile (real files)', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('loads the documented example with every field', async () => {
    const file = fileURLToPath(new URL('./fixtures/shop.yaml', import.meta.url));
    const r = await loadStackFile(file);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const { db, api, migrate } = r.stack.services;
    expect(r.stack.name).toBe('shop');
    expect(db!.ports).toEqual({ pg: null });
    expect(db!.health_check).toMatchObject({ probe: { kind: 'tcp', port: 'pg' }, interval_secs: 2 });
    expect(api!).toMatchObject({ cwd: './api', ports: { http: 8080 }, depends_on: { db: 'healthy' } });
    expect(api!.health_check).toMatchObject({ probe: { kind: 'http', port: 'http' }, interval_secs: 10 });
    expect(api!.lifecycle.http).toEqual({ port: 'http', graceful_shutdown_endpoint: '/quitquitquit', shutdown_endpoint: '/abortabortabort' });
    expect(migrate!).toMatchObject({ service: false, max_failures: 3, min_duration: 5, health_check: null });
  });

  it('reads a file; name defaults to its folder, file/dir are absolute', async () => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    const dir = join(tmp.dir, 'my-stack');
    mkdirSync(dir);
    writeFileSync(join(dir, 'hearth.yaml'), 'services:\n  api: { cmd: node server.js }\n');
    const r = await loadStackFile(join(dir, 'hearth.yaml'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stack).toMatchObject({ name: 'my-stack', file: join(dir, 'hearth.yaml'), dir });
  });

  it('reports a missing file at 1:1', async () => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    const file = join(tmp.dir, 'nope.yaml');
    expect(await loadStackFile(file)).toEqual({ ok: false, errors: [{ file, line: 1, col: 1, path: '', message: 'file not found (`hearth init` writes a starter one; -f FILE names another)' }] });
  });

  it('rejects a file over 1 MiB before reading it', async () => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    const file = join(tmp.dir, 'hearth.yaml');
    const text = `services:\n  a: { cmd: a }\n# ${'x'.repeat(1024 * 1024)}\n`;
    writeFileSync(file, text);
    const r = await loadStackFile(file);
    expect(r).toEqual({
      ok: false,
      errors: [{ file, line: 1, col: 1, path: '', message: `file is ${text.length} bytes; a stack file may be at most 1 MiB (1048576 bytes)` }],
    });
  });

  it('rejects a folder', async () => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    const r = await loadStackFile(tmp.dir);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toBe('not a regular file');
  });
});

describe('log byte bounds', () => {
  it('reports a bad ring_bytes or total_ring_bytes at its line, naming the field', () => {
    const r = parseStack('logs: { total_ring_bytes: a lot }\nservices:\n  a:\n    cmd: sleep 1\n    logs: { ring_bytes: 0 }\n', '/s/hearth.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.path])).toEqual([
      [1, 'logs.total_ring_bytes'],
      [5, 'services.a.logs.ring_bytes'],
    ]);
    expect(r.errors[0]!.message).toMatch(/512MB/);
  });
});
