import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { service, snapshot } from './fixtures';
import { renderApp } from './render-app';

afterEach(cleanup);

const tab = (name: string) => within(screen.getByRole('tablist', { name: 'Views of api' })).getByRole('tab', { name });
const logTools = () => screen.queryByRole('toolbar', { name: 'Log tools' });
const stdin = () => screen.queryByRole('textbox', { name: 'stdin of api' });

async function selectApi() {
  const m = renderApp();
  m.emit('snapshot', snapshot([service('api', { pid: 10 })]));
  await userEvent.click(within(screen.getByRole('listitem', { name: 'api' })).getByRole('button', { name: 'api' }));
  return m;
}

describe('the detail tabs of a service', () => {
  it('show the log tools and the stdin line on the Logs tab only, keeping what was typed', async () => {
    await selectApi();
    expect(within(logTools()!).getByRole('searchbox', { name: 'Search logs' })).toBeTruthy();
    await userEvent.type(stdin()!, 'half a line');
    for (const other of ['Health timeline', 'Captures']) {
      await userEvent.click(tab(other));
      expect(tab(other).getAttribute('aria-selected')).toBe('true');
      expect(logTools()).toBeNull();
      expect(screen.queryByRole('searchbox', { name: 'Search logs' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Clear' })).toBeNull();
      expect(stdin()).toBeNull();
      // The service's name stays as the panel's heading.
      expect(screen.getByRole('heading', { name: 'api' })).toBeTruthy();
    }
    await userEvent.click(tab('Logs'));
    expect(logTools()).not.toBeNull();
    expect((stdin() as HTMLInputElement).value).toBe('half a line');
  });

  it('"/" on another tab goes to the Logs tab and into the search box; "i" into the stdin line', async () => {
    await selectApi();
    await userEvent.click(tab('Health timeline'));
    (document.activeElement as HTMLElement | null)?.blur();
    fireEvent.keyDown(document.body, { key: '/' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search logs' })));
    expect(tab('Logs').getAttribute('aria-selected')).toBe('true');

    await userEvent.click(tab('Captures'));
    (document.activeElement as HTMLElement | null)?.blur();
    fireEvent.keyDown(document.body, { key: 'i' });
    await waitFor(() => expect(document.activeElement).toBe(stdin()));
    expect(tab('Logs').getAttribute('aria-selected')).toBe('true');
  });

  it('keep the toolbar for all services, where there are no tabs', () => {
    const m = renderApp();
    m.emit('snapshot', snapshot([service('api', { pid: 10 })]));
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(logTools()).not.toBeNull();
  });
});
