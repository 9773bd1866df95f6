import { describe, expect, it } from 'vitest';
import { diffStacks } from '../../../electron/supervisor/config/diff';
import { parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';

function load(text: string, file = '/s/hearth.yaml'): StackConfig {
  const r = parseStack(text, file);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.stack;
}

const BASE = `
defaults:
  health_check: { interval_secs: 1 }
services:
  db:
    cmd: pg -p {{thermos.ports[pg]}}
    health_check: { tcp: { port: pg } }
  api:
    cmd: node api.js
    env: { DB: "{{services.db.ports[pg]}}" }
    depends_on: [db]
  job:
    cmd: ./migrate.sh
    service: false
`;

describe('diffStacks', () => {
  it('reports nothing changed for the same text, whatever the key order', () => {
    const reordered = BASE.replace('cmd: ./migrate.sh\n    service: false', 'service: false\n    cmd: ./migrate.sh');
    expect(diffStacks(load(BASE), load(reordered))).toEqual({ added: [], removed: [], changed: [], unchanged: ['db', 'api', 'job'] });
  });

  it('marks only the service whose cmd changed', () => {
    const next = load(BASE.replace('node api.js', 'node api.js --verbose'));
    expect(diffStacks(load(BASE), next)).toEqual({ added: [], removed: [], changed: ['api'], unchanged: ['db', 'job'] });
  });

  it('marks every service a changed default affects', () => {
    // interval_secs affects the services with a health check only.
    const next = load(BASE.replace('interval_secs: 1', 'interval_secs: 2'));
    expect(diffStacks(load(BASE), next)).toMatchObject({ changed: ['db'], unchanged: ['api', 'job'] });
    // max_failures is part of every service's definition.
    const all = load(BASE.replace('defaults:\n', 'defaults:\n  max_failures: 5\n'));
    expect(diffStacks(load(BASE), all)).toMatchObject({ changed: ['db', 'api', 'job'], unchanged: [] });
  });

  it('marks a service when its dependencies or a referenced preferred port change', () => {
    const deps = load(BASE.replace('depends_on: [db]', 'depends_on: { db: { condition: started } }'));
    expect(diffStacks(load(BASE), deps)).toMatchObject({ changed: ['api'] });
    const port = load(BASE.replace('health_check: { tcp: { port: pg } }', 'health_check: { tcp: { port: pg } }\n    ports: { pg: 5432 }'));
    expect(diffStacks(load(BASE), port)).toMatchObject({ changed: ['db', 'api'], unchanged: ['job'] });
  });

  it('lists added and removed services', () => {
    const next = load(BASE.replace(/ {2}job:\n.*\n.*\n/, '  web:\n    cmd: web\n'));
    expect(diffStacks(load(BASE), next)).toEqual({ added: ['web'], removed: ['job'], changed: [], unchanged: ['db', 'api'] });
  });

  it('changes fingerprints when the stack folder moves (cwd is relative to it)', () => {
    expect(diffStacks(load(BASE), load(BASE, '/elsewhere/hearth.yaml')).changed).toEqual(['db', 'api', 'job']);
  });
});
