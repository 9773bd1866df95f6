// `replicas: N` in the stack file: expansion into instances at resolve time, what points at a group
// (depends_on -> every instance, {{services.G.ports[P]}} -> instance 0), the rules, and the grouped
// view exports use.
import { describe, expect, it } from 'vitest';
import { SERVICE_NAME_PATTERN } from '../../../shared/types';
import { diffStacks } from '../../../electron/supervisor/config/diff';
import { parseStack } from '../../../electron/supervisor/config/load';
import { groupedStack, instanceNames } from '../../../electron/supervisor/config/replicas';
import { renderTemplate } from '../../../electron/supervisor/config/templates';
import type { LoadResult, StackConfig } from '../../../electron/supervisor/config/types';

function load(text: string): StackConfig {
  const r = parseStack(text, '/s/hearth.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.stack;
}

function errors(text: string): string[] {
  const r: LoadResult = parseStack(text, '/s/hearth.yaml');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => `${e.line}:${e.path}: ${e.message}`);
}

const STACK = `services:
  db:
    cmd: sleep 30
    ports: { pg: 5432 }
  api:
    replicas: 3
    cmd: serve --port {{thermos.ports[http]}} --id {{thermos.instance}} --db {{services.db.ports[pg]}}
    depends_on: [db]
    health_check: { http: { port: http }, interval_secs: 0.1 }
  web:
    cmd: web
    env: { API: "127.0.0.1:{{services.api.ports[http]}}" }
    depends_on: { api: started }
`;

describe('replicas: expansion', () => {
  it('expands a replicated service into NAME.0 … NAME.N-1 in file order, each its own service', () => {
    const s = load(STACK);
    expect(Object.keys(s.services)).toEqual(['db', 'api.0', 'api.1', 'api.2', 'web']);
    for (const [i, name] of ['api.0', 'api.1', 'api.2'].entries()) {
      const svc = s.services[name]!;
      expect(svc).toMatchObject({ name, group: 'api', instance: i, replicas: 3 });
      expect(svc.ports).toEqual({ http: null });
      expect(svc.depends_on).toEqual({ db: 'healthy' });
      expect(svc.health_check?.probe).toMatchObject({ kind: 'http', port: 'http' });
      expect(SERVICE_NAME_PATTERN.test(name)).toBe(true);
    }
    expect(s.services.db).toMatchObject({ name: 'db', group: 'db', instance: 0, replicas: 1 });
    // Each instance is its own definition: a reload can restart one without the others.
    expect(new Set(['api.0', 'api.1', 'api.2'].map((n) => s.services[n]!.fingerprint)).size).toBe(3);
  });

  it('{{thermos.instance}} renders each instance its index and {{thermos.ports}} its own ports', () => {
    const s = load(STACK);
    const servicePorts = { db: { pg: 5432 }, 'api.0': { http: 20000 }, 'api.1': { http: 20001 }, 'api.2': { http: 20002 } };
    const rendered = ['api.0', 'api.1', 'api.2'].map((n) => {
      const svc = s.services[n]!;
      return renderTemplate(svc.cmd, { ports: servicePorts[n as 'api.0'], servicePorts, instance: svc.instance });
    });
    expect(rendered).toEqual([
      'serve --port 20000 --id 0 --db 5432',
      'serve --port 20001 --id 1 --db 5432',
      'serve --port 20002 --id 2 --db 5432',
    ]);
  });

  it('depends_on a group means every instance; {{services.G.ports[P]}} means instance 0', () => {
    const s = load(STACK);
    expect(s.services.web!.depends_on).toEqual({ 'api.0': 'started', 'api.1': 'started', 'api.2': 'started' });
    expect(s.services.web!.env.API).toBe('127.0.0.1:{{services.api.0.ports[http]}}');
    expect(renderTemplate(s.services.web!.env.API!, { ports: {}, servicePorts: { 'api.0': { http: 20000 } } })).toBe('127.0.0.1:20000');
  });

  it('replicas: 1 (or none) keeps the plain name', () => {
    const s = load(`services:\n  a: { cmd: x, replicas: 1 }\n  b: { cmd: y, depends_on: [a] }\n`);
    expect(Object.keys(s.services)).toEqual(['a', 'b']);
    expect(s.services.b!.depends_on).toEqual({ a: 'healthy' });
    expect(instanceNames('a', 1)).toEqual(['a']);
  });

  it('changing replicas on reload adds or removes instances and restarts nothing else', () => {
    const three = load(STACK);
    const two = load(STACK.replace('replicas: 3', 'replicas: 2'));
    const diff = diffStacks(three, two);
    expect(diff.removed).toEqual(['api.2']);
    expect(diff.added).toEqual([]);
    // Scaling restarts nothing that stays: not the kept instances, not web (which depends on the group).
    expect(diff.changed).toEqual([]);
    expect(diffStacks(two, three)).toMatchObject({ added: ['api.2'], removed: [], changed: [] });
    // Replicating a plain service renames it: the old one goes, the instances come, and web, whose
    // {{services.api.ports[http]}} now means api.0's port, is restarted.
    const one = load(STACK.replace('replicas: 3', 'replicas: 1'));
    expect(diffStacks(one, three)).toMatchObject({ added: ['api.0', 'api.1', 'api.2'], removed: ['api'], changed: ['web'] });
  });
});

describe('replicas: rules', () => {
  it('accepts 1..64 integers only', () => {
    for (const bad of ['0', '65', '1.5', '"2"']) {
      const errs = errors(`services:\n  a:\n    cmd: x\n    replicas: ${bad}\n`);
      expect(errs.length, bad).toBeGreaterThan(0);
      expect(errs[0]).toMatch(/^4:services\.a\.replicas: /);
    }
    expect(Object.keys(load(`services:\n  a: { cmd: x, replicas: 64 }\n`).services)).toHaveLength(64);
  });

  it('rejects a pinned port on a replicated service, at the port', () => {
    expect(errors(`services:\n  a:\n    cmd: x\n    replicas: 2\n    ports: { http: 8080, admin: ~ }\n`)).toEqual([
      '5:services.a.ports.http: a service with replicas: 2 cannot pin port 8080: each instance needs its own port; use null to have one allocated per instance',
    ]);
  });

  it('keeps dots out of stack file keys and instance references out of templates', () => {
    expect(errors(`services:\n  a.0: { cmd: x }\n`)[0]).toMatch(/invalid name "a\.0": service names use lowercase/);
    expect(errors(`services:\n  a: { cmd: x, replicas: 2, ports: { p: ~ } }\n  b: { cmd: "{{services.a.0.ports[p]}}" }\n`)[0]).toMatch(
      /unknown service "a\.0"/,
    );
    expect(errors(`services:\n  a: { cmd: x, replicas: 2 }\n  b: { cmd: y, depends_on: [a.1] }\n`)[0]).toMatch(/depends_on/);
  });

  it('instance names stay within 64 characters', () => {
    const long = 'a'.repeat(62);
    expect(errors(`services:\n  ${long}:\n    cmd: x\n    replicas: 12\n`)).toEqual([
      `4:services.${long}.replicas: instance names such as "${long}.11" would be longer than 64 characters; shorten the service name`,
    ]);
  });

  it('a replicated service is not the target of "completed" unless it is a job', () => {
    expect(errors(`services:\n  a: { cmd: x, replicas: 2 }\n  b: { cmd: y, depends_on: { a: completed } }\n`)[0]).toMatch(/needs a job/);
    const s = load(`services:\n  a: { cmd: x, replicas: 2, service: false }\n  b: { cmd: y, depends_on: { a: completed } }\n`);
    expect(s.services.b!.depends_on).toEqual({ 'a.0': 'completed', 'a.1': 'completed' });
  });

  it('instance names pass the shared name pattern; no other dot does', () => {
    for (const ok of ['api', 'api.0', 'api.63', 'a_b-c.9']) expect(SERVICE_NAME_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['api.', 'api..0', 'api.0.1', 'api.123', 'api.x', '../api', 'api/0', '.0', 'api.0/..']) {
      expect(SERVICE_NAME_PATTERN.test(bad), bad).toBe(false);
    }
  });

  it('bounds the total number of instances', () => {
    const services = Array.from({ length: 17 }, (_, i) => `  s${i}: { cmd: x, replicas: 64 }`).join('\n');
    expect(errors(`services:\n${services}\n`)).toContain('2:services: too many instances (1088 with replicas); the limit is 1024');
  });
});

describe('groupedStack (for exports)', () => {
  it('folds instances back into one service per key, references and dependencies on group names', () => {
    const g = groupedStack(load(STACK));
    expect(Object.keys(g.services)).toEqual(['db', 'api', 'web']);
    expect(g.services.api).toMatchObject({ name: 'api', group: 'api', instance: 0, replicas: 3, depends_on: { db: 'healthy' } });
    expect(g.services.web!.depends_on).toEqual({ api: 'started' });
    expect(g.services.web!.env.API).toBe('127.0.0.1:{{services.api.ports[http]}}');
    const plain = load(`services:\n  a: { cmd: x }\n`);
    expect(groupedStack(plain)).toBe(plain);
  });
});
