// hearth export kubernetes: every object validates against the Kubernetes OpenAPI schemas
// (kubernetes-models), and the health check / ports / jobs map as documented.
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStackFile, parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';
import { exportKubernetes, IMAGE_ANNOTATION } from '../../../electron/tools/export/kubernetes';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURE = join(import.meta.dirname, '../fixtures/stack.yaml');
const SHOP = join(import.meta.dirname, '../../../examples/shop/hearth.yaml');

async function load(file: string): Promise<StackConfig> {
  const loaded = await loadStackFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.stack;
}

// What apimachinery enforces but the OpenAPI schemas do not express.
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

function validate(obj: Obj): void {
  const models = { Deployment, Job, Service } as const;
  const Model = models[obj.kind as keyof typeof models];
  if (!Model) throw new Error(`unexpected kind ${obj.kind}`);
  new Model(obj as never).validate();
  expect(obj.metadata.name).toMatch(DNS_1035);
  expect(obj.metadata.name.length).toBeLessThanOrEqual(63);
  const containers: Obj[] = obj.spec.template?.spec.containers ?? [];
  for (const c of containers) for (const p of c.ports ?? []) expect(p.name).toMatch(IANA_SVC_NAME);
  for (const p of obj.kind === 'Service' ? obj.spec.ports : []) expect(p.name).toMatch(IANA_SVC_NAME);
}

let stack: StackConfig;
let out: ReturnType<typeof exportKubernetes>;
let byName: (kind: string, name: string) => Obj;

beforeAll(async () => {
  stack = await load(FIXTURE);
  out = exportKubernetes(stack);
  byName = (kind, name) => {
    const found = out.objects.find((o) => o.kind === kind && (o.metadata as Obj).name === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found as Obj;
  };
});

describe('exportKubernetes', () => {
  it('validates every object of the fixture and of the bundled example against the Kubernetes schemas', async () => {
    for (const obj of out.objects) validate(obj as Obj);
    const shop = exportKubernetes(await load(SHOP));
    expect(shop.objects.length).toBe(6); // 3 Deployments + 1 Job + Services for api and web
    for (const obj of shop.objects) validate(obj as Obj);
  });

  it('the schema validation does catch a broken object (the check above can fail)', () => {
    const broken = structuredClone(byName('Deployment', 'api'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => validate(broken)).toThrow(/containerPort/);
  });

  it('writes multi-document YAML that parses back to the same objects, without aliases', () => {
    const docs = parseAllDocuments(out.yaml);
    expect(Array.isArray(docs)).toBe(true);
    const parsed = (docs as Array<{ toJS(): unknown; errors: unknown[] }>).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    expect(parsed).toEqual(out.objects);
    expect(out.yaml).not.toMatch(/[&*]a\d/);
    expect(out.yaml).toContain('# api: service. image is a placeholder');
  });

  it('reads the same with YAML 1.1 (kubectl\'s go-yaml v2), where "yes" and "no" would be booleans', async () => {
    const demand = exportKubernetes(await load(join(import.meta.dirname, '../fixtures/on-demand.yaml')));
    const as11 = parseAllDocuments(demand.yaml, { version: '1.1' }) as Array<{ toJS(): unknown }>;
    expect(as11.map((d) => d.toJS())).toEqual(demand.objects);
    expect(demand.yaml).toContain('value: "yes"');
    for (const obj of demand.objects) validate(obj as Obj);
  });

  it('keeps Hearth\'s precedence: PORT is the port Hearth sets, whatever env: says', async () => {
    const demand = exportKubernetes(await load(join(import.meta.dirname, '../fixtures/on-demand.yaml')));
    const web = demand.objects.find((o) => o.kind === 'Deployment' && (o.metadata as Obj).name === 'web') as Obj;
    const env = Object.fromEntries((web.spec.template.spec.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ PORT: '8080', HEARTH_PORT_HTTP: '8080' });
  });

  it('makes a Deployment per service and a Job per job, with Services only for services with ports', () => {
    expect(out.objects.map((o) => `${o.kind}/${(o.metadata as Obj).name}`)).toEqual([
      'Job/migrate',
      'Deployment/db-main',
      'Service/db-main',
      'Deployment/api',
      'Service/api',
      'Deployment/checker',
      'Service/checker',
      'Deployment/worker',
    ]);
    const job = byName('Job', 'migrate');
    expect(job.spec.backoffLimit).toBe(stack.services.migrate!.max_failures - 1);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const api = byName('Deployment', 'api');
    expect(api.spec.replicas).toBe(1);
    expect(api.spec.selector.matchLabels).toEqual(api.spec.template.metadata.labels);
    expect(api.metadata.annotations[IMAGE_ANNOTATION]).toContain('REPLACE_ME/api:latest');
    const c = api.spec.template.spec.containers[0];
    expect(c.name).toBe('api');
    expect(c.image).toBe('REPLACE_ME/api:latest');
    // 2.5 s SIGTERM -> SIGKILL grace, rounded up.
    expect(api.spec.template.spec.terminationGracePeriodSeconds).toBe(3);
  });

  it('renders ports as fixed container ports and other services as their Service DNS name', () => {
    const c = byName('Deployment', 'api').spec.template.spec.containers[0];
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'admin-port', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(c.command).toEqual(['/bin/sh', '-c', 'node api.js --port 8080 --admin 8081']);
    const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
    expect(env).toMatchObject({ DB_URL: 'postgres://db-main:5432/app', HOME_DIR: '$HOME/api', PORT: '8080', HEARTH_PORT_HTTP: '8080', HEARTH_PORT_ADMIN_PORT: '8081' });
    const db = byName('Deployment', 'db-main').spec.template.spec.containers[0];
    expect(db.ports).toEqual([{ name: 'pg', containerPort: 5432, protocol: 'TCP' }]);
    expect(byName('Job', 'migrate').spec.template.spec.containers[0].command[2]).toBe('node migrate.js --db db-main:5432');
    const worker = byName('Deployment', 'worker').spec.template.spec.containers[0];
    expect(worker.env).toContainEqual({ name: 'API', value: 'http://api:8080' });
    expect(byName('Service', 'api').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'admin-port', port: 8081, targetPort: 'admin-port', protocol: 'TCP' },
    ]);
    expect(out.notes).toContainEqual({ where: 'api.ports.Admin_Port', message: expect.stringContaining('"admin-port"') });
    expect(out.notes).toContainEqual({ where: 'db_main', message: expect.stringContaining('"db-main"') });
  });

  it('maps the health check to startup, liveness and readiness probes', () => {
    const hc = stack.services.api!.health_check!;
    const c = byName('Deployment', 'api').spec.template.spec.containers[0];
    const handler = { httpGet: { path: '/health', port: 'http' } };
    const timing = { periodSeconds: hc.interval_secs, timeoutSeconds: hc.timeout_secs, failureThreshold: hc.max_consecutive_failures + 1 };
    expect(c.startupProbe).toEqual({ ...handler, initialDelaySeconds: hc.initial_interval_secs, ...timing, successThreshold: 1 });
    expect(c.livenessProbe).toEqual({ ...handler, ...timing, successThreshold: 1 });
    expect(c.readinessProbe).toEqual({ ...handler, ...timing, successThreshold: hc.min_consecutive_successes });
    expect(c.readinessProbe.successThreshold).toBe(3);
    expect(out.notes).toContainEqual({ where: 'api.health_check', message: expect.stringContaining('expected_response "ok"') });

    // tcp, with fractional seconds rounded up (and at least 1 where Kubernetes requires it).
    const db = byName('Deployment', 'db-main').spec.template.spec.containers[0];
    expect(db.startupProbe).toEqual({ tcpSocket: { port: 'pg' }, initialDelaySeconds: 1, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 2, successThreshold: 1 });
    expect(out.notes).toContainEqual({ where: 'db_main.health_check', message: 'interval_secs 0.25 written as 1 (whole seconds, at least 1)' });

    // shell -> exec, with its template rendered.
    const checker = byName('Deployment', 'checker').spec.template.spec.containers[0];
    expect(checker.livenessProbe.exec).toEqual({ command: ['/bin/sh', '-c', 'test -e /tmp/ok-8080'] });
    expect(checker.command[2]).toContain('echo "it\'s 8080"');
    expect(byName('Deployment', 'worker').spec.template.spec.containers[0].livenessProbe).toBeUndefined();
  });

  it('writes resources.ram as a memory request, never a limit', () => {
    const c = byName('Deployment', 'api').spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { memory: String(stack.services.api!.resources.ram_bytes) } });
  });

  it('reports what has no Kubernetes equivalent', () => {
    const text = out.notes.map((n) => `${n.where}: ${n.message}`).join('\n');
    expect(text).toContain('.healthchecksnooze: no equivalent');
    expect(text).toContain('min_duration, max_backoff_secs: no equivalent');
    expect(text).toMatch(/api\.depends_on: migrate \(completed\)/);
    expect(text).toMatch(/api\.lifecycle\.http: POST to the shutdown endpoints/);
    expect(text).toContain('db_main.lifecycle.stop_signal: SIGINT: the container gets SIGTERM; set STOPSIGNAL in the image');
    expect(text).not.toContain('api.lifecycle.stop_signal');
    expect(text).toContain('checker.autostart: false has no equivalent');
    expect(text).toMatch(/checker\.cwd: "\.\/tools"/);
  });
});

describe('replicas', () => {
  it('one Deployment per replicated service with replicas: N, dependents on the group, references to its Service', () => {
    const parsed = parseStack(
      `services:
  api:
    replicas: 3
    cmd: serve --port {{thermos.ports[http]}} --id {{thermos.instance}}
  batch:
    replicas: 2
    service: false
    cmd: work
  web:
    cmd: web --api 127.0.0.1:{{services.api.ports[http]}}
    depends_on: [api]
`,
      '/s/hearth.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const out = exportKubernetes(parsed.stack);
    for (const obj of out.objects) validate(obj as Obj);
    expect(out.objects.map((o) => `${o.kind}/${(o.metadata as Obj).name}`)).toEqual([
      'Deployment/api',
      'Service/api',
      'Job/batch',
      'Deployment/web',
    ]);
    const [api, , batch, web] = out.objects as Obj[];
    expect(api!.spec.replicas).toBe(3);
    expect(batch!.spec).toMatchObject({ completions: 2, parallelism: 2 });
    expect(web!.spec.replicas).toBe(1);
    expect(web!.spec.template.spec.containers[0].command[2]).toMatch(/^web --api api:\d+$/);
    expect(out.notes.some((n) => n.where === 'web.depends_on' && n.message.startsWith('api (healthy)'))).toBe(true);
    expect(out.notes.some((n) => n.where === 'api.cmd' && n.message.includes('{{thermos.instance}}'))).toBe(true);
  });
});
