// hearth export compose: services, commands, ports, depends_on conditions, healthcheck, restart; every
// export is read back as YAML 1.2 and as YAML 1.1 and validated against the compose-spec JSON schema.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStackFile, parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';
import { duration, escapeDollars, exportCompose } from '../../../electron/tools/export/compose';
import { composeSchemaErrors } from './compose-schema';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let stack: StackConfig;
let out: ReturnType<typeof exportCompose>;
let services: Record<string, Obj>;

beforeAll(async () => {
  const loaded = await loadStackFile(join(import.meta.dirname, '../fixtures/stack.yaml'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  stack = loaded.stack;
  out = exportCompose(stack);
  services = (parse(out.yaml) as Obj).services;
});

describe('exportCompose', () => {
  it('writes YAML that parses back to the model, one service per Hearth service, images as placeholders', () => {
    expect(parse(out.yaml)).toEqual(out.data);
    expect((out.data as Obj).name).toBe('shop_2');
    expect(Object.keys(services)).toEqual(Object.keys(stack.services));
    for (const [name, svc] of Object.entries(services)) expect(svc.image).toBe(`REPLACE_ME/${name}:latest`);
  });

  it('renders commands and environment with container ports and service DNS names, $ doubled', () => {
    expect(services.api!.command).toEqual(['/bin/sh', '-c', 'node api.js --port 8080 --admin 8081']);
    expect(services.migrate!.command[2]).toBe('node migrate.js --db db_main:5432');
    expect(services.api!.environment).toMatchObject({ DB_URL: 'postgres://db_main:5432/app', HOME_DIR: '$$HOME/api', PORT: '8080' });
    expect(services.worker!.environment.API).toBe('http://api:8080');
    expect(services.api!.ports).toEqual([
      { name: 'http', target: 8080, host_ip: '127.0.0.1', protocol: 'tcp' },
      { name: 'Admin_Port', target: 8081, host_ip: '127.0.0.1', protocol: 'tcp' },
    ]);
    // A preferred port is published on the same host port.
    expect(services.db_main!.ports).toEqual([{ name: 'pg', target: 5432, published: '5432', host_ip: '127.0.0.1', protocol: 'tcp' }]);
  });

  it('maps depends_on conditions', () => {
    expect(services.api!.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' }, db_main: { condition: 'service_healthy' } });
    // Hearth's "healthy" for a service with a check; worker depends on api, which has one.
    expect(services.worker!.depends_on).toEqual({ api: { condition: 'service_healthy' } });
  });

  it('maps health checks: test, interval, timeout, retries, start_period', () => {
    const hc = stack.services.api!.health_check!;
    expect(services.api!.healthcheck).toEqual({
      test: ['CMD-SHELL', "curl -fsS 'http://127.0.0.1:8080/health' | grep -qix 'ok'"],
      interval: `${hc.interval_secs}s`,
      timeout: `${hc.timeout_secs}s`,
      retries: hc.max_consecutive_failures + 1,
      start_period: `${hc.initial_interval_secs}s`,
    });
    expect(services.db_main!.healthcheck).toEqual({ test: ['CMD-SHELL', 'nc -z 127.0.0.1 5432'], interval: '250ms', timeout: '500ms', retries: 2, start_period: '500ms' });
    expect(services.checker!.healthcheck.test).toEqual(['CMD-SHELL', 'test -e /tmp/ok-8080']);
    expect(services.worker!.healthcheck).toBeUndefined();
  });

  it('maps restarts: services always, jobs on-failure with max_failures - 1 retries', () => {
    expect(services.api!.restart).toBe('always');
    expect(services.migrate!.restart).toBe(`on-failure:${stack.services.migrate!.max_failures - 1}`);
    expect(services.api!.stop_grace_period).toBe('2500ms');
    expect([services.db_main!.stop_signal, services.api!.stop_signal]).toEqual(['SIGINT', undefined]); // the default is not written
    expect([services.checker!.profiles, services.api!.profiles]).toEqual([['on-demand'], undefined]); // autostart: false
    expect(services.api!.mem_reservation).toBe(stack.services.api!.resources.ram_bytes);
  });

  it('reports what has no Compose equivalent', () => {
    const text = out.notes.map((n) => `${n.where}: ${n.message}`).join('\n');
    expect(text).toContain('.healthchecksnooze: no equivalent');
    expect(text).toContain('min_duration, max_backoff_secs: no equivalent');
    expect(text).toContain('api.health_check: min_consecutive_successes 3');
    expect(text).toContain('api.lifecycle.http');
    expect(text).toContain('db_main.health_check: the TCP check runs nc');
  });

  it('formats durations and escapes dollars', () => {
    expect(duration(10)).toBe('10s');
    expect(duration(0.1)).toBe('100ms');
    expect(escapeDollars('a $B ${C} $$')).toBe('a $$B $${C} $$$$');
  });
});

describe('replicas', () => {
  it('one Compose service with deploy.replicas: N; dependents depend on the group', () => {
    const parsed = parseStack(
      'services:\n  api:\n    replicas: 3\n    cmd: serve {{thermos.ports[http]}}\n  web:\n    cmd: web 127.0.0.1:{{services.api.ports[http]}}\n    depends_on: [api]\n',
      '/tmp/x/hearth.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { data } = exportCompose(parsed.stack);
    const services = data.services as Record<string, Record<string, unknown>>;
    expect(Object.keys(services)).toEqual(['api', 'web']);
    expect(services.api!.deploy).toEqual({ replicas: 3 });
    expect(services.web!.deploy).toBeUndefined();
    expect(services.web!.depends_on).toEqual({ api: { condition: 'service_started' } });
    expect((services.web!.command as string[])[2]).toMatch(/^web api:\d+$/);
  });
});

const FIXTURES = join(import.meta.dirname, '../fixtures');
const STACKS = [
  join(import.meta.dirname, '../../../examples/shop/hearth.yaml'),
  join(FIXTURES, 'stack.yaml'),
  join(FIXTURES, 'on-demand.yaml'),
  join(import.meta.dirname, '../../supervisor/config/fixtures/shop.yaml'),
  ...readdirSync(join(FIXTURES, 'aurora')).map((f) => join(FIXTURES, 'aurora', f)),
];

describe('read back by compose-spec', () => {
  it.each(STACKS)('%s: valid against the compose-spec schema, and YAML 1.1 readers read the same values', async (file) => {
    const loaded = await loadStackFile(file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const { yaml, data } = exportCompose(loaded.stack);
    expect(composeSchemaErrors(parse(yaml))).toEqual([]);
    // PyYAML (docker-compose v1) and go-yaml v2 read YAML 1.1, where `no` is false and `1:30` is 90.
    const as11: unknown = parse(yaml, { version: '1.1' });
    expect(composeSchemaErrors(as11)).toEqual([]);
    expect(as11).toEqual(data);
  });
});

describe('what YAML 1.1 and profiles need', () => {
  let demand: ReturnType<typeof exportCompose>;
  let byName: Record<string, Obj>;
  beforeAll(async () => {
    const loaded = await loadStackFile(join(FIXTURES, 'on-demand.yaml'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    demand = exportCompose(loaded.stack);
    byName = (demand.data as Obj).services;
  });

  it('quotes "no" and every string a YAML 1.1 reader would take for a boolean or a number', () => {
    expect(byName.setup!.restart).toBe('no');
    expect(demand.yaml).toContain('restart: "no"');
    expect(demand.yaml).toMatch(/^ {2}"y":$/m); // the service name itself
    expect(demand.yaml).toContain('DEBUG: "yes"');
    expect(demand.yaml).toContain('TIME: "1:30"');
    expect(demand.yaml).toContain('MASK: "0755"');
    expect(demand.yaml).not.toMatch(/^%YAML/m);
  });

  it('writes a dependency on an on-demand (profiled) service as required: false, and says so', () => {
    expect(byName.y!.profiles).toEqual(['on-demand']);
    expect(byName.web!.depends_on).toEqual({
      y: { condition: 'service_started', required: false },
      setup: { condition: 'service_completed_successfully' },
    });
    expect(demand.notes).toContainEqual({
      where: 'web.depends_on.y',
      message: '"y" is on demand (profile on-demand): written with required: false; run with --profile on-demand to have it started first, as Hearth does',
    });
  });

  it('keeps Hearth\'s precedence: PORT is the port Hearth sets, whatever env: says', () => {
    expect(byName.web!.environment).toMatchObject({ PORT: '8080', HEARTH_PORT_HTTP: '8080' });
    expect(byName.y!.environment.PORT).toBe('1'); // no port of its own: Hearth sets no PORT
  });
});
