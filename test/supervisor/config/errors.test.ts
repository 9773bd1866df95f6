import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../electron/supervisor/config/issues';
import { parseStack } from '../../../electron/supervisor/config/load';

const DIR = '/work/stack';
const FILE = `${DIR}/hearth.yaml`;

/** The issues exactly as `hearth check` prints them (cwd = the stack folder). */
function check(text: string): string[] {
  const r = parseStack(text, FILE);
  if (r.ok) return [];
  return r.errors.map((e) => formatIssue(e, DIR));
}

describe('issues: positions and messages', () => {
  it('reports every problem of a multi-line file with its real line and column', () => {
    const text = [
      'name: shop', // 1
      'services:', // 2
      '  db:', // 3
      '    cmd: postgres -p {{thermos.ports[pg]}}', // 4
      '    health_check:', // 5
      '      tcp: { port: pg }', // 6
      '      interval_secs: fast', // 7
      '  api:', // 8
      '    cmd: node server.js --port {{thermos.ports[http]}}', // 9
      '    helth_check: {}', // 10
      '    env:', // 11
      '      DATABASE_URL: postgres://127.0.0.1:{{services.db.ports[pgx]}}/shop', // 12
      '    depends_on: [db, dbb]', // 13
      '    max_failures: 0', // 14
      '  migrate:', // 15
      '    service: no', // 16
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      'hearth.yaml:7:22 services.db.health_check.interval_secs: expected a number, got "fast"',
      'hearth.yaml:10:5 services.api.helth_check: unknown key "helth_check" (did you mean "health_check"?)',
      'hearth.yaml:12:42 services.api.env.DATABASE_URL: service "db" has no port "pgx" (its ports: pg)',
      'hearth.yaml:13:22 services.api.depends_on[1]: unknown service "dbb" (did you mean "db"?)',
      'hearth.yaml:14:19 services.api.max_failures: must be >= 1, got 0',
      'hearth.yaml:15:3 services.migrate.cmd: missing required field',
      'hearth.yaml:16:14 services.migrate.service: expected a boolean (true or false), got "no"',
    ]);
  });

  it('suggests a close name only: never one that rewrites every letter, never the service itself', () => {
    const text = 'services:\n  a:\n    cmd: sleep 1\n    depends_on: [b]\n  web:\n    cmd: sleep 1\n    depends_on: [wbe, apx]\n  api:\n    cmd: sleep 1\n';
    expect(check(text)).toEqual([
      'hearth.yaml:4:18 services.a.depends_on[0]: unknown service "b"',
      'hearth.yaml:7:18 services.web.depends_on[0]: unknown service "wbe"',
      'hearth.yaml:7:23 services.web.depends_on[1]: unknown service "apx" (did you mean "api"?)',
    ]);
  });

  it('gives the structured issue, with the absolute file and 1-based position', () => {
    const r = parseStack('services:\n  api:\n    cmd: a\n    min_duration: soon\n', FILE);
    expect(r).toEqual({
      ok: false,
      errors: [{ file: FILE, line: 4, col: 19, path: 'services.api.min_duration', message: 'expected a number, got "soon"' }],
    });
  });

  it('prints the path relative to cwd when the file is under it, else as is', () => {
    const issue = { file: '/a/b/hearth.yaml', line: 2, col: 3, path: 'services', message: 'm' };
    expect(formatIssue(issue, '/a')).toBe('b/hearth.yaml:2:3 services: m');
    expect(formatIssue(issue, '/elsewhere')).toBe('/a/b/hearth.yaml:2:3 services: m');
    expect(formatIssue({ ...issue, path: '' }, '/a/b')).toBe('hearth.yaml:2:3 m');
  });

  it('suggests close key names only', () => {
    expect(check('services:\n  a:\n    cmd: a\n    health_check:\n      tcp: {}\n      intervl_secs: 1\n    zzz: 1\n')).toEqual([
      'hearth.yaml:6:7 services.a.health_check.intervl_secs: unknown key "intervl_secs" (did you mean "interval_secs"?)',
      'hearth.yaml:7:5 services.a.zzz: unknown key "zzz"',
    ]);
    expect(check('servces:\n  a: { cmd: a }\n')).toEqual([
      'hearth.yaml:1:1 services: missing required field',
      'hearth.yaml:1:1 servces: unknown key "servces" (did you mean "services"?)',
    ]);
    expect(check('services:\n  a: { cmd: a, depends_on: { b: { conditon: started } } }\n  b: { cmd: b }\n')).toEqual([
      'hearth.yaml:2:30 services.a.depends_on.b.condition: missing required field',
      'hearth.yaml:2:35 services.a.depends_on.b.conditon: unknown key "conditon" (did you mean "condition"?)',
    ]);
  });

  it('explains enum, union, integer, range and format problems', () => {
    expect(
      check(
        [
          'port_range: [30000, 20000]',
          'services:',
          '  a:',
          '    cmd: a',
          '    depends_on: { b: ready, c: 5 }',
          '    ports: { http: 80.5, x: "8080", y: 70000 }',
          '    env: { A: null, "B C": x }',
          '    health_check: { http: { port: p, endpoint: health }, interval_secs: 0 }',
          '  b: { cmd: "" }',
          '  c: { cmd: c, depends_on: 7 }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'hearth.yaml:1:13 port_range: the low port must be below the high port, got [30000, 20000]',
      'hearth.yaml:5:22 services.a.depends_on.b: expected one of healthy, started, completed or a mapping, got "ready"',
      'hearth.yaml:5:32 services.a.depends_on.c: expected one of healthy, started, completed or a mapping, got 5',
      'hearth.yaml:6:20 services.a.ports.http: expected an integer, got 80.5',
      'hearth.yaml:6:29 services.a.ports.x: expected a number, got "8080"',
      'hearth.yaml:6:40 services.a.ports.y: must be <= 65535, got 70000',
      'hearth.yaml:7:15 services.a.env.A: expected a string, a number or a boolean (true or false), got null',
      'hearth.yaml:7:21 services.a.env: invalid name "B C": environment variable names use letters, digits and "_"',
      'hearth.yaml:8:48 services.a.health_check.http.endpoint: must start with "/", got "health"',
      'hearth.yaml:8:73 services.a.health_check.interval_secs: must be > 0, got 0',
      'hearth.yaml:9:13 services.b.cmd: must not be empty',
      'hearth.yaml:10:28 services.c.depends_on: expected a list or a mapping, got 7',
    ]);
  });

  it('names the signals a stop may begin with', () => {
    expect(check('services:\n  a:\n    cmd: a\n    lifecycle: { stop_signal: INT }\n')).toEqual([
      'hearth.yaml:4:31 services.a.lifecycle.stop_signal: expected one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, got "INT"',
    ]);
  });

  it('rejects YAML syntax errors with their position', () => {
    expect(check('services:\n  api:\n    cmd: [a, b\n  db: x\n')).toEqual([
      'hearth.yaml:4:3 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(check('services:\n\tapi: { cmd: a }\n')).toEqual(['hearth.yaml:2:1 YAML syntax error: Tabs are not allowed as indentation']);
  });

  it('rejects duplicate keys at the repeated key', () => {
    expect(check('services:\n  api:\n    cmd: a\n    cmd: b\n  api:\n    cmd: c\n')).toEqual([
      'hearth.yaml:4:5 services.api.cmd: duplicate key "cmd"',
      'hearth.yaml:5:3 services.api: duplicate key "api"',
    ]);
  });

  it('rejects empty files, non-mapping roots and an empty services map', () => {
    expect(check('# nothing\n')).toEqual(['hearth.yaml:1:1 the stack file is empty; it needs at least a "services:" mapping']);
    expect(check('- a\n- b\n')).toEqual(['hearth.yaml:1:1 the stack file must be a mapping (name, services, ...), got a list']);
    expect(check('just text\n')).toEqual(['hearth.yaml:1:1 the stack file must be a mapping (name, services, ...), got a string']);
    expect(check('name: x\nservices: {}\n')).toEqual(['hearth.yaml:2:11 services: at least one service is required']);
    expect(check('name: x\nservices:\n  a:\n')).toEqual(['hearth.yaml:3:3 services.a: expected a mapping, got null']);
  });

  it('rejects service names that are not [a-z0-9][a-z0-9_-]* (no path tricks)', () => {
    expect(check('services:\n  ok: { cmd: a }\n  ../x: { cmd: b }\n  Api: { cmd: c }\n')).toEqual([
      'hearth.yaml:3:3 services: invalid name "../x": service names use lowercase letters, digits, "-" and "_", and start with a letter or digit',
      'hearth.yaml:4:3 services: invalid name "Api": service names use lowercase letters, digits, "-" and "_", and start with a letter or digit',
    ]);
  });

  it('reports depends_on cycles once each, at the edge that closes them', () => {
    const text = [
      'services:',
      '  a: { cmd: a, depends_on: [b] }',
      '  b: { cmd: b, depends_on: { c: started } }',
      '  c: { cmd: c, depends_on: [a] }',
      '  d: { cmd: d, depends_on: [d] }',
      '  e: { cmd: e, depends_on: [a] }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      'hearth.yaml:4:29 services.c.depends_on[0]: depends_on cycle: a -> b -> c -> a',
      'hearth.yaml:5:29 services.d.depends_on[0]: depends_on cycle: d -> d',
    ]);
  });

  it('requires a job for the completed condition', () => {
    expect(check('services:\n  db: { cmd: db }\n  a: { cmd: a, depends_on: { db: completed } }\n')).toEqual([
      'hearth.yaml:3:30 services.a.depends_on.db: condition "completed" needs a job (service: false), but "db" is a service',
    ]);
  });

  it('checks health_check probe choice and lifecycle port', () => {
    expect(
      check(
        [
          'services:',
          '  a:',
          '    cmd: a',
          '    health_check: { http: {}, tcp: {} }',
          '  b:',
          '    cmd: b',
          '    health_check: { interval_secs: 1 }',
          '    lifecycle: { http: { shutdown_endpoint: /stop } }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'hearth.yaml:4:19 services.a.health_check: use only one of http, tcp or shell (got http and tcp)',
      'hearth.yaml:7:19 services.b.health_check: needs one of http, tcp or shell (or a port named "health" for the implicit HTTP check)',
      'hearth.yaml:8:24 services.b.lifecycle.http: no port given and the service has no port named "health"',
    ]);
  });
});

describe('issues: templates', () => {
  it('rejects any token but the three Thermos ones, pointing at the token', () => {
    const text = [
      'services:',
      '  a:',
      '    cmd: echo {{process.env.HOME}} {{ thermos.instance }}',
      '    env:',
      '      X: "{{constructor}}"',
      '      Y: "{{thermos.ports[http]}}{{services.a.ports.http}}"',
      '    health_check: { shell: { shell_command: "curl {{ thermos.ports[ready] }}/{{__proto__}}" } }',
      '',
    ].join('\n');
    const use = 'use {{thermos.ports[NAME]}}, {{services.NAME.ports[NAME]}} or {{thermos.instance}}';
    expect(check(text)).toEqual([
      `hearth.yaml:3:15 services.a.cmd: unsupported template "{{process.env.HOME}}": ${use}`,
      `hearth.yaml:5:11 services.a.env.X: unsupported template "{{constructor}}": ${use}`,
      `hearth.yaml:6:34 services.a.env.Y: unsupported template "{{services.a.ports.http}}": ${use}`,
      `hearth.yaml:7:78 services.a.health_check.shell.shell_command: unsupported template "{{__proto__}}": ${use}`,
    ]);
  });

  it('rejects references to unknown services and to ports the other service does not own', () => {
    const text = [
      'services:',
      '  db:',
      '    cmd: pg -p {{thermos.ports[pg]}}',
      '  cache: { cmd: redis }',
      '  api:',
      '    cmd: "api {{services.dbx.ports[pg]}}"',
      '    env: { A: "{{services.db.ports[http]}}", B: "{{services.cache.ports[main]}}" }',
      '',
    ].join('\n');
    expect(check(text)).toEqual([
      'hearth.yaml:6:15 services.api.cmd: unknown service "dbx" in {{services.dbx.ports[pg]}} (did you mean "db"?)',
      'hearth.yaml:7:16 services.api.env.A: service "db" has no port "http" (its ports: pg)',
      'hearth.yaml:7:50 services.api.env.B: service "cache" has no port "main" (it has no ports)',
    ]);
  });

  it('treats prototype-ish names as plain names', () => {
    const text = 'services:\n  constructor:\n    cmd: "x {{thermos.ports[constructor]}}"\n  b:\n    cmd: "{{services.constructor.ports[toString]}}"\n';
    expect(check(text)).toEqual(['hearth.yaml:5:11 services.b.cmd: service "constructor" has no port "toString" (its ports: constructor)']);
    expect(check('__proto__: {x: 1}\nservices:\n  a:\n    cmd: a\n    env: { __proto__: x }\n    ports: { __proto__: 1 }\n')).toEqual([
      'hearth.yaml:1:1 __proto__: the key "__proto__" is not allowed',
      'hearth.yaml:5:12 services.a.env.__proto__: the key "__proto__" is not allowed',
      'hearth.yaml:6:14 services.a.ports.__proto__: the key "__proto__" is not allowed',
    ]);
  });
});

describe('issues: hostile input', () => {
  it('rejects a YAML alias bomb without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'bcdefghi';
    for (let i = 0; i < names.length; i++) {
      const prev = i === 0 ? 'a' : names[i - 1];
      levels.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const out = check(`${levels.join('\n')}\nservices: { x: { cmd: x } }\n`);
    // d is 7,381 nodes; a, b, c and d's own aliases add 8,289, so e's second *d crosses 20,000.
    expect(out).toEqual([
      'hearth.yaml:5:11 too many YAML alias expansions (more than 20000 nodes in all; *d here repeats 7381); refusing to expand them (an "alias bomb"?)',
    ]);
  });

  it('refuses a few uses of one huge aliased list at the alias that crosses the budget, before the schema sees it', () => {
    // 90 uses of a 40,000-item list pass yaml's maxAliasCount and used to cost seconds and hundreds of MB.
    const lines = [`big: &big [${Array(40_000).fill('1').join(',')}]`, 'services:'];
    for (let i = 0; i < 90; i++) lines.push(`  s${i}: { cmd: *big }`);
    expect(check(`${lines.join('\n')}\n`)).toEqual([
      'hearth.yaml:3:14 too many YAML alias expansions (more than 20000 nodes in all; *big here repeats 40001); refusing to expand them (an "alias bomb"?)',
    ]);
  });

  it('refuses an alias inside its own anchor as the infinite expansion it is', () => {
    expect(check('loop: &loop [1, *loop]\nservices: { x: { cmd: x } }\n')).toEqual([
      'hearth.yaml:1:17 too many YAML alias expansions (more than 20000 nodes in all; *loop here repeats Infinity); refusing to expand them (an "alias bomb"?)',
    ]);
  });

  it('accepts an env map shared by 60 services (well within the budget)', () => {
    const env = Array.from({ length: 20 }, (_, i) => `K${i}: v${i}`).join(', ');
    const lines = [`common: &common { ${env} }`, 'services:'];
    for (let i = 0; i < 60; i++) lines.push(`  s${i}: { cmd: exec sleep 1, env: *common }`);
    // Only the anchor's own top-level key is reported: no budget error.
    expect(check(`${lines.join('\n')}\n`)).toEqual(['hearth.yaml:1:1 common: unknown key "common"']);
  });

  it('still allows ordinary anchors and merge keys, with positions inside the anchor', () => {
    const text = [
      'services:',
      '  base: &base',
      '    cmd: a',
      '    max_failures: 2',
      '  b:',
      '    <<: *base',
      '    cmd: b',
      '',
    ].join('\n');
    const r = parseStack(text, FILE);
    expect(r.ok && r.stack.services.b).toMatchObject({ cmd: 'b', max_failures: 2 });
    expect(check(text.replace('max_failures: 2', 'max_failures: two'))).toEqual([
      'hearth.yaml:4:19 services.base.max_failures: expected a number, got "two"',
      'hearth.yaml:4:19 services.b.max_failures: expected a number, got "two"',
    ]);
  });

  it('rejects text over 1 MiB before parsing', () => {
    const text = `services:\n  a: { cmd: a }\n#${'x'.repeat(1024 * 1024)}\n`;
    expect(check(text)).toEqual([`hearth.yaml:1:1 file is ${text.length} bytes; a stack file may be at most 1 MiB (1048576 bytes)`]);
  });

  it('survives pathological nesting inside the size limit', () => {
    const out = check(`services: ${'['.repeat(200_000)}`);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThanOrEqual(10);
    expect(out[0]).toMatch(/^hearth\.yaml:1:\d+ /);
  });

  it('caps the number of services', () => {
    const many = Array.from({ length: 300 }, (_, i) => `  s${i}: { cmd: x }`).join('\n');
    expect(check(`services:\n${many}\n`)).toEqual(['hearth.yaml:2:3 services: too many services (300); the limit is 256']);
  });
});
