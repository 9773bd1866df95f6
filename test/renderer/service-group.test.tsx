// Replicated services in the sidebar: instances (`api.0` …) gathered under one `api ×3` header with an
// aggregate badge, each instance still its own card with its own snooze switch.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { groupOf, listEntries } from '../../renderer/src/model/service-groups';
import { renderApp } from './render-app';
import { health, service, snapshot } from './fixtures';

afterEach(cleanup);

const instance = (name: string, overrides: Parameters<typeof service>[1] = {}) =>
  service(name, { group: groupOf(name), instance: Number(name.split('.')[1] ?? 0), ...overrides });

describe('listEntries', () => {
  it('gathers instances where their group first appears and keeps everything else in order', () => {
    expect(listEntries(['db', 'api.0', 'web', 'api.1', 'api.2', 'v1_2'])).toEqual([
      { kind: 'service', name: 'db' },
      { kind: 'group', group: 'api', instances: ['api.0', 'api.1', 'api.2'] },
      { kind: 'service', name: 'web' },
      { kind: 'service', name: 'v1_2' },
    ]);
  });
});

describe('service list: replicas', () => {
  it('groups instances under "api ×3" with an aggregate badge; each instance keeps its own card and snooze switch', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('db'), instance('api.0'), instance('api.1'), instance('api.2'), service('web')]));
    const list = screen.getByRole('list', { name: 'Services' });
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(['db', 'api.0', 'api.1', 'api.2', 'web']);

    const group = screen.getByRole('group', { name: /^api ×3/ });
    expect(within(group).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(['api.0', 'api.1', 'api.2']);
    expect(within(group).getByLabelText('api: 3/3 healthy').className).toContain('tone-ok');
    expect(screen.queryAllByRole('group')).toHaveLength(1);

    emit('service', instance('api.1', { health: health({ status: 'unhealthy', consecutive_failures: 2 }) }));
    expect(within(group).getByLabelText('api: 2/3 healthy').className).toContain('tone-warn');

    await userEvent.click(within(group).getByRole('switch', { name: 'Snooze api.1' }));
    expect(host.calls('snooze')).toEqual([{ service: 'api.1' }]);
    expect(within(screen.getByRole('listitem', { name: 'api.2' })).getByRole('switch', { name: 'Snooze api.2' })).toBeTruthy();

    emit('service_removed', { name: 'api.2' });
    expect(screen.getByRole('group', { name: /^api ×2/ })).toBeTruthy();
    expect(screen.getByLabelText('api: 1/2 healthy')).toBeTruthy();
  });

  it('says "running", not "healthy", for instances without a health check, on the group as on each card', () => {
    const { emit } = renderApp();
    const unchecked = health({ status: 'none', settings: null, phase: 'idle' });
    emit('snapshot', snapshot([instance('pool.0', { health: unchecked }), instance('pool.1', { health: unchecked })]));
    const group = screen.getByRole('group', { name: /^pool ×2/ });
    expect(within(group).getByLabelText('pool: 2/2 running').className).toContain('tone-ok');
    emit('service', instance('pool.1', { health: unchecked, state: 'STOPPED', pid: null }));
    expect(within(group).getByLabelText('pool: 1/2 running').className).toContain('tone-warn');
  });
});
